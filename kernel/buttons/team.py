"""The buttons of /team and /audit, and a volunteer's answer to becoming a coordinator.

`team:<verb>:<person id>:<other id>` names people by their row id; the service re-reads both
and checks that the presser is a coordinator now, so a forged id changes nothing."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class TeamVerb(enum.Enum):
    HAND_OVER = "give"  # choose whom to give a coordinator's activities
    HANDED_OVER = "gave"  # give them to `other`
    REMOVE = "rm"  # ask before removing a support person
    REMOVE_YES = "rmy"
    STEP_DOWN = "down"  # ask before stepping down
    STEP_DOWN_YES = "downy"
    OFFER = "offer"  # offer a volunteer the coordinator role
    BACK = "back"  # back to the list, nothing done


@dataclass(frozen=True)
class TeamAction(CallbackData, prefix="team"):
    verb: TeamVerb
    person_id: int
    other: int | None = None


@dataclass(frozen=True)
class TeamPage(CallbackData, prefix="teamp"):
    page: int


@dataclass(frozen=True)
class VolunteerPage(CallbackData, prefix="teamv"):
    """A page of volunteers to offer the coordinator role to."""

    page: int


@dataclass(frozen=True)
class OfferAnswer(CallbackData, prefix="teamo"):
    """The volunteer's answer; the open offer itself is read from the database."""

    accept: bool


@dataclass(frozen=True)
class AuditPageButton(CallbackData, prefix="audp"):
    page: int
