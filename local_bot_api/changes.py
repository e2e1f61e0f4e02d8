"""A broadcast "something changed" that waiters use to re-check their own condition."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Changes:
    """Wakes every waiter on each change; each waiter decides itself whether it is done.

    One signal for all state keeps the waiting code simple; at test scale the extra wake-ups
    cost nothing.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float | None = None) -> None:
        """Wait for the next change, or until `timeout` seconds passed."""
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass

    async def until(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Wait until `predicate()` holds; TimeoutError after `timeout` seconds."""
        async with asyncio.timeout(timeout):
            while not predicate():
                await self.wait()
