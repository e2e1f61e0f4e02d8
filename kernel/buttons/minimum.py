"""The coordinators' answer to "this activity is still below its minimum: hold it anyway, or
cancel?": `minq:<choice>:<activity id>:<start>`, the start being the one asked about (in
minutes since 1970, UTC), so a press about an activity moved since changes nothing."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from kernel.callback_data import CallbackData


class MinimumChoice(enum.Enum):
    GO_AHEAD = "go"
    CANCEL = "cancel"


@dataclass(frozen=True)
class MinimumDecision(CallbackData, prefix="minq"):
    choice: MinimumChoice
    activity_id: int
    starts: int


def minutes(moment: datetime) -> int:
    """A start time as the button carries it."""
    return int(moment.astimezone(UTC).timestamp() // 60)
