"""Moving the playground's clock forward, and letting scheduled work catch up with it.

The bot's JobQueue runs on real time, so moving the clock alone would change nothing anyone
sees. Instead every piece of scheduled work that depends on the time (retention now, reminders
and after-activity questions later) registers a hook in `after_time_moves`; each move runs them
in order, right away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kernel.clock import MovableClock
from kernel.when import format_when

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[Any]]

# The steps the page offers; anything else is refused, so a typo cannot jump a year ahead.
STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


class TimeControl:
    """The playground's movable clock and the work that runs whenever it moves."""

    def __init__(self, clock: MovableClock, timezone: str) -> None:
        self.clock = clock
        self.timezone = timezone
        self.after_time_moves: list[Hook] = []

    async def advance(self, step: str) -> datetime:
        """Move the clock by one step ("hour" or "day"), then run every hook."""
        delta = STEPS.get(step)
        if delta is None:
            raise ValueError(f"step must be one of {sorted(STEPS)}")
        self.clock.advance(delta)
        for hook in list(self.after_time_moves):
            try:
                await hook()
            except Exception:
                # One failing job must not stop the others or the clock; it is logged once.
                log.exception("playground: scheduled work failed after the clock moved")
        return self.clock.now()

    def to_json(self) -> dict[str, Any]:
        now = self.clock.now()
        return {
            "now": now.isoformat(),
            "timezone": self.timezone,
            "label": format_when(now, "da", ZoneInfo(self.timezone)),
        }
