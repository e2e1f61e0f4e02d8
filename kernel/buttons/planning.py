"""Buttons coordinators press to look after activities and to plan them.

The planning list and an activity's card: `admp:<page>`, `adm:<verb>:<activity id>` and
`adm_new`. The planning conversation: `plan:<choice>` for its fixed choices, and one kind per
kind of answer (`plani:<interest id>`, `pland:<minutes>`, `plann:<number>`, `plana:<note>`,
`planf:<step>`). A date of a weekly series asks first which dates a change or cancellation
is for: `plans:<verb>:<activity id>:<following>`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class AdminVerb(enum.Enum):
    """What a coordinator does with one activity from the planning list."""

    CARD = "card"
    PEOPLE = "people"
    EDIT = "edit"
    CANCEL = "cancel"


@dataclass(frozen=True)
class AdminAction(CallbackData, prefix="adm"):
    verb: AdminVerb
    activity_id: int


@dataclass(frozen=True)
class AdminPage(CallbackData, prefix="admp"):
    page: int


@dataclass(frozen=True)
class NewActivity(CallbackData, prefix="adm_new"):
    """The planning list's 'new activity' button (the same as /new_activity)."""


def admin(verb: AdminVerb) -> Callable[[object], bool]:
    """The handler pattern for one verb of `AdminAction`."""

    def matches(data: object) -> bool:
        pressed = AdminAction.parse(data)
        return pressed is not None and pressed.verb is verb

    return matches


class PlanChoice(enum.Enum):
    """The fixed choices of the planning conversation."""

    PUBLISH = "publish"
    CHANGE = "change"
    DISCARD = "discard"
    DONE = "done"
    PREVIEW = "preview"
    RESUME = "resume"
    FRESH = "fresh"
    SKIP_DESCRIPTION = "skip_desc"
    SKIP_LOCATION = "skip_loc"
    ACCESS_DONE = "acc_done"
    ONCE = "once"
    WEEKLY = "weekly"
    CANCEL_YES = "cancel_yes"
    CANCEL_NO = "cancel_no"


@dataclass(frozen=True)
class PlanButton(CallbackData, prefix="plan"):
    choice: PlanChoice


def choosing(choice: PlanChoice) -> Callable[[object], bool]:
    """The handler pattern for one fixed choice of the planning conversation."""

    def matches(data: object) -> bool:
        pressed = PlanButton.parse(data)
        return pressed is not None and pressed.choice is choice

    return matches


@dataclass(frozen=True)
class PlanInterest(CallbackData, prefix="plani"):
    interest_id: int


@dataclass(frozen=True)
class PlanDuration(CallbackData, prefix="pland"):
    minutes: int


@dataclass(frozen=True)
class PlanNumber(CallbackData, prefix="plann"):
    """A quick answer to a 'how many' question (seats, fewest or most volunteers)."""

    number: int


@dataclass(frozen=True)
class PlanAccess(CallbackData, prefix="plana"):
    """Switch one accessibility note on or off (the handler checks it is a known note)."""

    note: str


@dataclass(frozen=True)
class PlanField(CallbackData, prefix="planf"):
    """Go back to one question to change its answer (the handler checks the step)."""

    step: str


@dataclass(frozen=True)
class SeriesScope(CallbackData, prefix="plans"):
    """Edit or cancel (`verb`) only this date of a weekly series, or this and the following
    (`following`). The handler re-reads the activity and checks who presses."""

    verb: AdminVerb
    activity_id: int
    following: bool


def scoping(verb: AdminVerb) -> Callable[[object], bool]:
    """The handler pattern for the series question of one verb (edit or cancel)."""

    def matches(data: object) -> bool:
        pressed = SeriesScope.parse(data)
        return pressed is not None and pressed.verb is verb

    return matches
