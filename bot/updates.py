"""Updates from different chats are handled at the same time; each chat's in the order sent.

One person's flood or one slow handler then holds up only that person. Within a chat the
order stays: a conversation's answers must be taken in the order they were given. Each update
is handled as one answer (bot/rate_limits.answering): its first message is sent before other
people's follow-ups.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.rate_limits import answering

# Handlers running at once across all chats: enough to keep two cores and the database busy,
# few enough that the database pool (PostgreSQL: 5 + 10 overflow) is not exhausted.
WORKING_AT_MOST = 12
# Updates held at once, most of them waiting for their chat's turn. python-telegram-bot
# counts waiting updates against this bound too, so it is set far above WORKING_AT_MOST: a
# flood in one chat must not take the places of everyone else's updates.
HELD_AT_MOST = 4096
# More messages than this waiting in one chat is a flood: nobody types that fast. The person
# is told once, and answered on their newest message rather than on every one of them.
FLOOD_AT = 10


@dataclass
class _Lane:
    """One chat's turn-taking: its updates wait here, in the order they arrived."""

    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    # The update id of the newest message (not button press) waiting in this chat: Telegram
    # numbers updates in the order they came.
    newest_message: int = 0
    flooding: bool = False
    told_of_flood: bool = False


def lane_of(update: object) -> tuple[str, int] | None:
    """Whose order an update belongs to: its chat, else its sender (a button under an inline
    message has no chat); None for updates of neither, which then take turns among
    themselves."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class PerChatOrder(BaseUpdateProcessor):
    """Concurrent across chats, in order within each chat."""

    def __init__(self, working: int = WORKING_AT_MOST) -> None:
        super().__init__(max_concurrent_updates=HELD_AT_MOST)
        self._working = asyncio.Semaphore(working)
        self._lanes: dict[tuple[str, int] | None, _Lane] = {}

    def superseded(self, update: object) -> bool:
        """A message of a flooding chat with a newer message waiting behind it: answering
        the newest is enough (and answering each would take minutes at Telegram's pace)."""
        if not isinstance(update, Update) or update.message is None:
            return False
        lane = self._lanes.get(lane_of(update))
        return lane is not None and lane.flooding and update.update_id < lane.newest_message

    def flood_begins(self, update: object) -> bool:
        """True once per flood, for the first update handled after the chat began flooding:
        that is when the person hears that the bot answers their newest message."""
        lane = self._lanes.get(lane_of(update))
        if lane is None or not lane.flooding or lane.told_of_flood:
            return False
        lane.told_of_flood = True
        return True

    def waiting_in(self, update: object) -> int:
        """How many updates of this update's chat are held, it included once it arrived."""
        lane = self._lanes.get(lane_of(update))
        return lane.waiting if lane else 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = lane_of(update)
        lane = self._lanes.setdefault(key, _Lane())
        lane.waiting += 1
        if isinstance(update, Update) and update.message is not None:
            lane.newest_message = update.update_id
        if lane.waiting > FLOOD_AT:
            lane.flooding = True
        try:
            # asyncio.Lock wakes its waiters first come, first served: the chat's order holds.
            async with lane.turn:
                await self._working.acquire()
                # A reply waiting for Telegram's budget gives its working place up meanwhile
                # (bot/rate_limits.Answer), so the place is given back only if held.
                with answering(self._working) as answer:
                    try:
                        await coroutine
                    finally:
                        if answer.holding:
                            self._working.release()
                        answer.holding = False
        finally:
            lane.waiting -= 1
            if lane.waiting == 0:
                # A lane lives only while its chat has updates in hand: no table that grows
                # with everyone who ever wrote. The flood is over with it.
                del self._lanes[key]

    async def initialize(self) -> None:
        """Nothing to set up: lanes come and go with the updates."""

    async def shutdown(self) -> None:
        """Nothing to free: the application waits for the updates in hand before this."""
