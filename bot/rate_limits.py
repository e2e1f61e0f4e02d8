"""Two lanes under Telegram's flood limits: replies first, the outbox with what is left.

Telegram allows a bot about 30 messages a second in all, 20 a minute in one group and about
one a second in one chat (short bursts allowed); over that it answers 429 with retry_after.
Every sending call takes a place in the bot's budget and in its chat's budget:

- the bot: 30 places a second;
- a group chat (negative id): 20 places a minute;
- a private chat: 10 places in 10 seconds (one a second sustained, a burst of ten).

A place is taken when the call starts and given back one window after Telegram answered, so
no window on Telegram's side (which counts when a call arrives, somewhere between the two)
can hold more than the budget. A call unanswered after ARRIVAL_GRACE is taken to have
arrived by then: a slow answer does not keep its place for its whole length.

Replies (any call not marked BULK) go first: a bulk call takes a place only when no reply is
waiting for one, nor about to want one: from the moment an update is being handled until its
first message is sent, bulk calls leave a place free for it (most handlers need a few
milliseconds before they answer, time enough for a place to come free). While people are
talking to the bot, one more place is kept for the next reply, but lent to the outbox as long
as another place comes free within LEND: a place kept empty all the time would cost the
outbox a thirtieth of its budget, a lent one costs it little, and the next reply waits LEND
at most. Bulk calls are spread evenly over the second (one every 1/30 s), so places come free
at an even pace and the one a reply waits for is never far off. Among replies, the first
message of an answer goes before the rest: an answer is often two messages (a confirmation,
then the next question), and when many people answer at once, their second messages alone
can fill the bot's budget. A later message of an answer (a follow-up) takes a place only when
no first message waits for one, and leaves places free for first messages about to come
(a few, and more while no place will come free for a while: after a quiet spell, the first
messages of the next second need places before any comes free), so the person sees that
the bot heard them at once, and the rest follows as the budget allows. Which call is the
first of an answer is known from `answering` (bot/updates.py sets it around the handling
of each update); a call outside any update counts as a follow-up.

Bulk calls wait for a place one at a time, in turn; one for a chat whose budget is full does
not wait at all but raises HeldBack, and the outbox sends the row when the chat has room
again.

A reply in a private chat is not held to the chat's budget (nor counted in it): a person who
writes is answered at once. Only once that chat has drawn a 429 are its replies paced and
counted, for PACED_AFTER_429 seconds: a flood draws one 429 and is then answered calmly. The
chat budget that bulk calls keep to counts the outbox's own sends (and paced replies); a
bulk send right after a lively conversation may still draw a 429, which the outbox recovers
from by sending the row again exactly when the wait is over.

A 429 applies to what it was for, for exactly retry_after: to its chat; to every chat when
the call had no chat, or when within one second 429s came for BOT_WIDE_CHATS different chats
that had each sent at most QUIET_CHAT messages in their window. Telegram's answer does not say
which limit was hit; a chat that has hardly sent anything cannot have hit its own, so several
of those at once mean the bot as a whole. Sending continues the moment the wait ends. A reply
waits and is tried again (at most MAX_RETRIES times); a bulk call is not made but raises
HeldBack, and the outbox postpones its row until then.

Times are the monotonic loop time, except the end of a 429 wait, which is on the bot's clock
so that a test which moves the clock also moves the end of the wait, as it moves the rows'.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from kernel.clock import Clock, SystemClock
from scheduler.outbox import BULK, HeldBack, retry_after_of

log = logging.getLogger(__name__)

BOT_PER_SECOND = 30
GROUP_PER_MINUTE = 20
PRIVATE_BURST = 10
PRIVATE_WINDOW = 10.0
ARRIVAL_GRACE = 0.5
MAX_RETRIES = 3
BOT_WIDE_CHATS = 3
QUIET_CHAT = 2
# Bulk calls leave a place free for each answer being prepared or waiting, at most this many.
REPLY_RESERVE_MOST = 10
# While replies were sent in the last REPLY_MEMORY seconds, one more place is kept for the
# next one to come; the outbox may use it too, but only while another place comes free within
# LEND seconds: a reply then waits that long at most, and the outbox loses only the rest of
# the spacing between two places (a place kept empty all the time would cost it one message
# a second, a thirtieth of its budget).
REPLY_MEMORY = 30.0
LEND = 0.015
# Bulk calls are this far apart; a loop late with some (a busy machine) may make up for up
# to BULK_CATCH_UP of them at once.
BULK_SPACING = 1.0 / BOT_PER_SECOND
BULK_CATCH_UP = 3
# While first messages of answers were sent in the last second, follow-ups leave this many
# places of the bot's budget free for more of them, plus one for every FIRST_SHARE sent.
# Until a place comes free, follow-ups also leave one for each first message expected by then,
# at the pace first messages came over the last second (counted over at least
# FIRST_RATE_SPAN); at most FIRST_RESERVE_MOST places in all, so follow-ups keep half.
FIRST_RESERVE = 2
FIRST_SHARE = 4
FIRST_RATE_SPAN = 0.25
FIRST_RESERVE_MOST = BOT_PER_SECOND // 2
# Replies in a private chat are not held to its budget (a person who writes gets answered at
# once) until that chat draws a 429; from then on, for this long, they are paced too.
PACED_AFTER_429 = 60.0
# Sleeping waiters look again at least this often (the clock may have been moved).
LOOK_AGAIN = 1.0

_SENDING_PREFIXES = ("send", "edit", "copy", "forward")
_NOT_SENDING = frozenset({"sendchataction"})
_EVERY_CHAT = None

JSON = bool | dict[str, Any] | list[dict[str, Any]]


def is_sending(endpoint: str) -> bool:
    """Whether a call counts against the flood limits: it puts or changes a chat message."""
    name = endpoint.lower()
    return name.startswith(_SENDING_PREFIXES) and name not in _NOT_SENDING


@dataclass
class Answer:
    """The handling of one update: how many sending calls it has made so far, and the place
    among the updates handled at once that it holds (`working`, bot/updates.py) while
    `holding`. A reply waiting for Telegram's budget gives that place up meanwhile: it uses
    neither CPU nor the database, and others' updates can be read and answered."""

    working: asyncio.Semaphore | None = None
    sends: int = 0
    holding: bool = True

    def step_aside(self) -> None:
        if self.working is not None and self.holding:
            self.working.release()
            self.holding = False

    async def step_back(self) -> bool:
        """Take a place again; True if it had to (a budget place may have gone meanwhile)."""
        if self.working is None or self.holding:
            return False
        await self.working.acquire()
        self.holding = True
        return True


_ANSWERING: ContextVar[Answer | None] = ContextVar("sammen_answering", default=None)
# Updates being handled whose first message is not yet on its way: bulk calls leave places
# free for them. One count for the process (the bot's rate limiter is one per process; a
# test running two bots at once only makes one's outbox a little more polite).
_preparing = 0
_EVERY_LANES: weakref.WeakSet[Lanes] = weakref.WeakSet()


@contextmanager
def answering(working: asyncio.Semaphore | None = None) -> Iterator[Answer]:
    """Around the handling of one update: its first sending call is the first message of
    the answer, and goes before other people's follow-ups (see the module's description).
    `working`: the place the update holds among those handled at once (see `Answer`)."""
    global _preparing
    answer = Answer(working)
    token = _ANSWERING.set(answer)
    _preparing += 1
    try:
        yield answer
    finally:
        if answer.sends == 0:
            _preparing -= 1
            # Answered without a message (or not at all): the place kept for it is free.
            for lanes in list(_EVERY_LANES):
                lanes._notify()
        # Tasks the handling started keep this answer in their context: once the update is
        # done, they have no place to give up or take.
        answer.working = None
        answer.sends = max(answer.sends, 1)
        _ANSWERING.reset(token)


def _first_of_answer() -> bool:
    """Whether a reply about to be sent is the first message of its answer; counts it."""
    global _preparing
    answer = _ANSWERING.get()
    if answer is None:
        return False
    answer.sends += 1
    if answer.sends == 1:
        # From here on it waits for its place as a reply, counted in `_replies_waiting`.
        _preparing -= 1
        return True
    return False


@dataclass
class _Budget:
    """`limit` places in any `seconds`; each place is held until its `free_at`."""

    limit: int
    seconds: float
    free_at: list[float] = field(default_factory=list)

    def held(self, now: float) -> list[float]:
        self.free_at = [t for t in self.free_at if t > now]
        return self.free_at

    def wait(self, now: float, need: int) -> float:
        """Seconds until `need` places are free (0: now)."""
        held = sorted(self.held(now))
        need = min(max(need, 1), self.limit)
        over = len(held) - (self.limit - need)
        return 0.0 if over <= 0 else held[over - 1] - now

    def next_free(self, now: float) -> float:
        """When the first held place comes free (`now` when none is held)."""
        return min(self.held(now), default=now)

    def take(self, now: float) -> None:
        self.free_at.append(now + ARRIVAL_GRACE + self.seconds)

    def give_back(self, taken_at: float, answered_at: float) -> None:
        """The call was answered: its place is free one window after that (if sooner)."""
        planned = taken_at + ARRIVAL_GRACE + self.seconds
        sooner = min(planned, answered_at + self.seconds)
        try:
            self.free_at[self.free_at.index(planned)] = sooner
        except ValueError:
            pass  # already expired and forgotten


@dataclass
class _Ticket:
    budgets: list[_Budget]
    taken_at: float


class Lanes(BaseRateLimiter[str]):
    """python-telegram-bot's rate limiter for Sammen; see the module's description."""

    def __init__(self, *, clock: Clock | None = None, max_retries: int = MAX_RETRIES) -> None:
        self._clock = clock or SystemClock()
        self._max_retries = max_retries
        self._bot = _Budget(BOT_PER_SECOND, 1.0)
        self._chats: dict[int, _Budget] = {}
        # chat id (or _EVERY_CHAT) -> when Telegram lets us send there again, on the clock
        self._blocked: dict[int | None, datetime] = {}
        self._refusals: deque[tuple[float, int]] = deque()
        self._replies_waiting = 0
        self._bulk_next = 0.0
        self._replied_at = float("-inf")
        self._firsts: deque[float] = deque()
        self._firsts_waiting = 0
        self._replies_waiting_in: dict[int, int] = {}
        self._paced: dict[int, float] = {}
        self._changed = asyncio.Event()
        self._bulk_turn = asyncio.Lock()
        # asyncio.Lock wakes its waiters first come, first served.
        self._firsts_line = asyncio.Lock()
        self._follow_ups_line = asyncio.Lock()
        _EVERY_LANES.add(self)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    # -- the one entry point -------------------------------------------------------------------

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> JSON:
        bulk = rate_limit_args == BULK
        chat_id = data.get("chat_id")
        chat = chat_id if isinstance(chat_id, int) else None
        sending = is_sending(endpoint)
        # Decided once: a reply tried again after a 429 keeps its place in the order.
        first = sending and not bulk and _first_of_answer()
        attempt = 0
        while True:
            ticket = await self._turn(chat, bulk=bulk, sending=sending, first=first)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                every_chat = self._refused(chat if sending else None, retry_after_of(error))
                if bulk:
                    raise HeldBack(retry_after_of(error), every_chat=every_chat) from error
                attempt += 1
                if attempt > self._max_retries:
                    raise
                log.info("Telegram asked to wait %s; the reply is tried again then", error)
            finally:
                if ticket is not None:
                    self._done(ticket)

    # -- waiting for a turn --------------------------------------------------------------------

    async def _turn(
        self, chat: int | None, *, bulk: bool, sending: bool, first: bool = False
    ) -> _Ticket | None:
        """Wait until this call may go; the places it takes, or None for a call not counted."""
        if bulk:
            # One bulk call at a time looks for a place, first come first served, so a place
            # that frees wakes one of them, not all.
            async with self._bulk_turn:
                return await self._bulk_place(chat, sending=sending)
        self._replies_waiting += 1
        self._firsts_waiting += first
        if chat is not None:
            self._replies_waiting_in[chat] = self._replies_waiting_in.get(chat, 0) + 1
        try:
            return await self._reply_place(chat, sending=sending, first=first)
        finally:
            self._replies_waiting -= 1
            self._firsts_waiting -= first
            if chat is not None:
                left = self._replies_waiting_in[chat] - 1
                if left:
                    self._replies_waiting_in[chat] = left
                else:
                    del self._replies_waiting_in[chat]
            self._notify()

    async def _reply_place(self, chat: int | None, *, sending: bool, first: bool) -> _Ticket | None:
        loop = asyncio.get_running_loop()
        answer = _ANSWERING.get()
        while True:
            blocked = self._blocked_for(chat)
            if blocked > timedelta(0):
                if answer is not None:
                    answer.step_aside()
                await self._sleep(blocked.total_seconds())
                continue
            if answer is not None and await answer.step_back():
                continue
            if not sending:
                return None
            now = loop.time()
            # A reply in a private chat that has not drawn a 429 does not wait for the chat's
            # budget, nor count in it: the outbox would otherwise hold back every message
            # to someone who just had a lively conversation with the bot.
            paced = chat is not None and self._is_paced(chat, now)
            if paced and chat is not None:
                wait = self._chat_budget(chat).wait(now, 1)
                if wait > 0:
                    if answer is not None:
                        answer.step_aside()
                    await self._sleep(wait)
                    continue
            # Replies waiting for the bot's budget take their places first come, first
            # served (first messages and follow-ups each in their own line): only the one at
            # the head of its line looks for a place.
            line = self._firsts_line if first else self._follow_ups_line
            if line.locked() and answer is not None:
                answer.step_aside()
            async with line:
                ticket = await self._bot_place(chat, paced=paced, first=first)
            if ticket is not None:
                return ticket

    async def _bot_place(self, chat: int | None, *, paced: bool, first: bool) -> _Ticket | None:
        """A place in the bot's budget for the reply at the head of its line; None when it
        must wait for something else first (a 429, its working place, its chat's budget)."""
        loop = asyncio.get_running_loop()
        answer = _ANSWERING.get()
        while True:
            if self._blocked_for(chat) > timedelta(0):
                return None
            if answer is not None and await answer.step_back():
                continue
            now = loop.time()
            budgets = [self._bot]
            if paced and chat is not None:
                budgets.append(self._chat_budget(chat))
                if budgets[1].wait(now, 1) > 0:
                    return None  # its chat is full: waited for out of the line
            wait = self._bot.wait(now, 1)
            if not first:
                # First messages of answers go first: places they wait for, or may soon
                # want, are not for follow-ups.
                reserve = self._first_reserve(now) + self._firsts_waiting
                wait = max(wait, self._bot.wait(now, 1 + reserve))
            if wait <= 0:
                for budget in budgets:
                    budget.take(now)
                self._replied_at = now
                if first:
                    self._firsts.append(now)
                return _Ticket(budgets, now)
            if answer is not None:
                answer.step_aside()
            await self._sleep(wait)

    async def _bulk_place(self, chat: int | None, *, sending: bool) -> _Ticket | None:
        loop = asyncio.get_running_loop()
        while True:
            blocked = self._blocked_for(chat)
            if blocked > timedelta(0):
                raise HeldBack(blocked, every_chat=self._every_chat_blocked())
            if not sending:
                return None
            now = loop.time()
            budgets = [self._bot]
            if chat is not None:
                budgets.append(self._chat_budget(chat))
                # The chat is full: the row waits in the outbox, not here holding up others.
                full = budgets[1].wait(now, 1 + self._replies_waiting_in.get(chat, 0))
                if full > 0:
                    raise HeldBack(timedelta(seconds=full), every_chat=False)
            # Replies first: places they wait for, or are about to want, are not for bulk
            # calls.
            reserve = min(self._replies_waiting + max(_preparing, 0), REPLY_RESERVE_MOST)
            wait = self._bot.wait(now, 1 + reserve)
            if wait <= 0 and self._replied_lately(now):
                # The place kept for the next reply: lent only if another comes free soon.
                lent_until = self._bot.next_free(now) - LEND
                if self._bot.wait(now, 2 + reserve) > 0 and lent_until > now:
                    wait = lent_until - now
            wait = max(wait, self._bulk_next - now)
            if wait <= 0:
                for budget in budgets:
                    budget.take(now)
                # Evenly spread; late turns are made up for, a few at most.
                behind = now - BULK_CATCH_UP * BULK_SPACING
                self._bulk_next = max(self._bulk_next, behind) + BULK_SPACING
                return _Ticket(budgets, now)
            await self._sleep(wait)

    def _is_paced(self, chat: int, now: float) -> bool:
        if chat < 0:
            return True  # groups: 20 a minute for every message, as Telegram counts them
        until = self._paced.get(chat)
        if until is not None and until <= now:
            del self._paced[chat]
            return False
        return until is not None

    def _replied_lately(self, now: float) -> bool:
        return now - self._replied_at < REPLY_MEMORY

    def _first_reserve(self, now: float) -> int:
        while self._firsts and self._firsts[0] <= now - 1.0:
            self._firsts.popleft()
        if not self._firsts:
            return 0
        steady = FIRST_RESERVE + len(self._firsts) // FIRST_SHARE
        # No place comes free before the oldest one held is a window old: the first messages
        # expected until then need a place each. Right after a quiet spell that is most of a
        # second, and the few places kept in the steady state would be gone long before.
        span = max(now - self._firsts[0], FIRST_RATE_SPAN)
        expected = math.ceil(len(self._firsts) / span * (self._bot.next_free(now) - now))
        return min(max(steady, FIRST_RESERVE + expected), FIRST_RESERVE_MOST)

    def _chat_budget(self, chat: int) -> _Budget:
        budget = self._chats.get(chat)
        if budget is None:
            if len(self._chats) > 10_000:
                self._forget_idle_chats()
            budget = (
                _Budget(GROUP_PER_MINUTE, 60.0)
                if chat < 0
                else _Budget(PRIVATE_BURST, PRIVATE_WINDOW)
            )
            self._chats[chat] = budget
        return budget

    def _forget_idle_chats(self) -> None:
        now = asyncio.get_running_loop().time()
        for chat in [c for c, budget in self._chats.items() if not budget.held(now)]:
            del self._chats[chat]

    def _done(self, ticket: _Ticket) -> None:
        answered = asyncio.get_running_loop().time()
        for budget in ticket.budgets:
            budget.give_back(ticket.taken_at, answered)
        self._notify()

    async def _sleep(self, seconds: float) -> None:
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout=min(seconds, LOOK_AGAIN))
        except TimeoutError:
            pass

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # -- 429s ----------------------------------------------------------------------------------

    def _blocked_for(self, chat: int | None) -> timedelta:
        now = self._clock.now()
        longest = timedelta(0)
        for key in {_EVERY_CHAT, chat}:
            until = self._blocked.get(key)
            if until is None:
                continue
            if until <= now:
                del self._blocked[key]
            else:
                longest = max(longest, until - now)
        return longest

    def _every_chat_blocked(self) -> bool:
        until = self._blocked.get(_EVERY_CHAT)
        return until is not None and until > self._clock.now()

    def _refused(self, chat: int | None, wait: timedelta) -> bool:
        """Note a 429 for `chat` (None: a call without a chat); True when it is taken to be for
        the whole bot."""
        now = asyncio.get_running_loop().time()
        every_chat = chat is None
        if chat is not None:
            self._paced[chat] = now + PACED_AFTER_429
            if len(self._chat_budget(chat).held(now)) <= QUIET_CHAT:
                self._refusals.append((now, chat))
            while self._refusals and self._refusals[0][0] <= now - 1.0:
                self._refusals.popleft()
            every_chat = len({c for _, c in self._refusals}) >= BOT_WIDE_CHATS
        key = _EVERY_CHAT if every_chat else chat
        until = self._clock.now() + wait
        if key not in self._blocked or self._blocked[key] < until:
            self._blocked[key] = until
        log.info(
            "Telegram asked to wait %.1f s for %s",
            wait.total_seconds(),
            "every chat" if every_chat else "one chat",
        )
        self._notify()
        return every_chat
