"""The buttons of /citizens: adding a citizen with their agreement, and removing one.

A citizen id in the data is untrusted: handlers look it up only among the presser's own
citizens.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData
from kernel.needs import Authority


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


# --- Issue 14: needs on the day, authority, sharing ------------------------------------------


@dataclass(frozen=True)
class AuthorityGiven(CallbackData, prefix="czau"):
    """They agreed, on this authority: the citizen themselves, a guardian, a power of attorney
    or a parent. (`CitizenAgreed` from older messages counts as the citizen themselves.)"""

    authority: Authority


@dataclass(frozen=True)
class NeedToggle(CallbackData, prefix="czt"):
    """Tick or untick needs of a citizen: `chosen` is the whole choice after the press, as
    bits over the needs list, so a restart loses nothing."""

    citizen_id: int
    chosen: int


@dataclass(frozen=True)
class NeedsDone(CallbackData, prefix="czd"):
    """These needs (bits over the list) are the citizen's; the note comes next."""

    citizen_id: int
    chosen: int


@dataclass(frozen=True)
class NoteSkip(CallbackData, prefix="czns"):
    """No note for the volunteers."""


@dataclass(frozen=True)
class EditNeeds(CallbackData, prefix="cze"):
    """Change a citizen's needs on the day."""

    citizen_id: int


@dataclass(frozen=True)
class ShareCitizen(CallbackData, prefix="czsh"):
    """Make a single-use link that shares this citizen with a colleague."""

    citizen_id: int
