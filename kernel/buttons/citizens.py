"""The buttons of /citizens: adding a citizen with their agreement, and removing one.

A citizen id in the data is untrusted: handlers look it up only among the presser's own
citizens.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class AddStep(enum.Enum):
    """The only step of `AddCitizen`: kept in the data so that `cz:add` buttons already in
    chats (and the one after a support person's sign-up) go on working."""

    ADD = "add"


@dataclass(frozen=True)
class AddCitizen(CallbackData, prefix="cz"):
    """Add a person to book for: `cz:add`."""

    step: AddStep = AddStep.ADD


@dataclass(frozen=True)
class CitizenAgreed(CallbackData, prefix="cza"):
    """The citizen, or their guardian, agreed that we keep their first name."""


@dataclass(frozen=True)
class CitizenNotYet(CallbackData, prefix="czn"):
    """They have not agreed (yet): nothing is kept."""


@dataclass(frozen=True)
class RemoveCitizen(CallbackData, prefix="czr"):
    """Remove this citizen? (asks first)"""

    citizen_id: int


@dataclass(frozen=True)
class RemoveCitizenConfirmed(CallbackData, prefix="czry"):
    """Yes, remove this citizen and give back their places."""

    citizen_id: int


@dataclass(frozen=True)
class KeepCitizen(CallbackData, prefix="czk"):
    """No, keep the citizen."""
