"""The answers under a reminder, and the call for volunteers.

`rem:<answer>:<activity id>:<citizen id>:<start>`: coming or can't come, for the volunteer
themselves (citizen 0) or for one citizen a support person booked; the start (in minutes
since 1970, UTC) is the one reminded of, so a press about an activity moved since changes
nothing. `remw:<reason>:<activity id>`: why they cannot come, one tap, a code and no text.
`call:<activity id>`: a coordinator sends the call for volunteers from the card;
`mpho:<activity id>`: the photo of the meeting point, shown from the card.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData

# The citizen id of a volunteer's own answer.
MYSELF = 0


class Answer(enum.Enum):
    COMING = "yes"
    CANT = "no"


class Reason(enum.Enum):
    """Why someone cannot come after all: a code, never their words."""

    ILL = "ill"
    CLASH = "clash"
    TRANSPORT = "travel"
    OTHER = "other"


@dataclass(frozen=True)
class ReminderAnswer(CallbackData, prefix="rem"):
    answer: Answer
    activity_id: int
    citizen_id: int
    starts: int


@dataclass(frozen=True)
class CantComeReason(CallbackData, prefix="remw"):
    reason: Reason
    activity_id: int


@dataclass(frozen=True)
class CallVolunteers(CallbackData, prefix="call"):
    activity_id: int


@dataclass(frozen=True)
class MeetingPhoto(CallbackData, prefix="mpho"):
    """Show the photo of an activity's meeting point (from its card)."""

    activity_id: int
