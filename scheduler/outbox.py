"""The outbox sender: delivers owed messages to Telegram, at the pace Telegram allows.

It runs every few seconds as a JobQueue job, and at once when a unit of work has committed
something that enqueued (services.unit_of_work wakes it), so people hear of a change within
moments. Its calls are marked BULK: the bot's rate limiter (bot/rate_limits.py) lets replies
to people who are talking to the bot go first and gives the outbox what is left. Many sends
are in flight at once, so the outbox can use all of that. How it treats Telegram's answers:

- sent: the row is settled and its text forgotten;
- 429 for one chat (HeldBack or RetryAfter): that row waits exactly the time asked for, the
  pass goes on with other people's rows, and a wake-up is set for when the wait ends, so the
  row goes out then and not at the next tick (later rows of that person wait behind it, as
  only the oldest row per person can be claimed);
- 429 for the whole bot: no more rows are claimed in this pass; the pass resumes at the end;
- 403 (the person blocked the bot) or "chat not found": dropped, with everything else still
  owed to that person, and never tried again;
- any other bad request: failed, as trying again would only repeat it;
- network trouble or a timeout: tried again later, waiting longer each time, and failed
  after MAX_ATTEMPTS.

Delivery is at least once: when a send times out, Telegram may have delivered it anyway. So
a send waits READ_TIMEOUT for Telegram's answer, far longer than a slow answer takes, and a
slow answer is not mistaken for a failure and sent again. A sender killed between sending and
marking leaves its rows claimed; its restart (same host, new process, see `holder_is_dead`)
frees them at once instead of waiting out the lease.
Logs name rows by id and kind, never by text or person.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from kernel.context import Runtime, SammenContext
from services import delivery
from services.delivery import Claimed, OutboxStatus, Settled

log = logging.getLogger(__name__)

EVERY = timedelta(seconds=5)
# Sends in flight at once: enough to keep Telegram's 30 a second busy while some answers are
# slow; each waits in the rate limiter for its turn.
IN_FLIGHT = 60
# Claim more once this many places are free, not after every single answer.
CLAIM_AT_LEAST = 10
# Answers are recorded in one transaction once this many came, or after this long.
RECORD_AT_LEAST = 20
RECORD_EVERY = 0.5
# Longer than any one send can take (the rate limiter's wait included), so a live sender
# never loses its rows to another.
LEASE = timedelta(minutes=2)
# How long a send waits for Telegram's answer: a slow answer is not a failure (retrying it
# would deliver the message twice), so this is far past any answer Telegram takes to give.
READ_TIMEOUT = 60.0
MAX_ATTEMPTS = 6
FIRST_BACKOFF = timedelta(seconds=15)
LONGEST_BACKOFF = timedelta(minutes=30)
# A wake-up after a wait fires this much after the wait ends, so the row is surely due.
WAKE_MARGIN = 0.01

# The rate_limit_args of every outbox call: the rate limiter sends these with what replies
# leave over, and hands a 429 back (as HeldBack) instead of sleeping on it.
BULK = "bulk"


class HeldBack(RetryAfter):
    """What the rate limiter raises for a BULK call it did not make, or that Telegram refused:
    the chat (or, when `every_chat`, the whole bot) may be sent to again after `wait`."""

    def __init__(self, wait: timedelta, *, every_chat: bool) -> None:
        super().__init__(wait)
        self.wait = wait
        self.every_chat = every_chat


# -- who holds a claim ------------------------------------------------------------------------

_HOST = socket.gethostname()
# Holders of the senders alive in this process (an Application may be rebuilt in-process).
_LIVE: set[str] = set()


def _new_holder() -> str:
    return f"{_HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # somebody else's process: alive
    return True


def holder_is_dead(holder: str) -> bool:
    """Whether the sender that wrote `holder` can never finish its claims: it ran on this
    host and its process is gone (a crash, a kill), or it ran in this process and is no longer
    here. Claims of other hosts are left to their leases: from here one cannot tell."""
    host, pid_text, _tag = [*holder.rsplit(":", 2), "", ""][:3]
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _LIVE
    return not _pid_alive(pid)


@dataclass
class Delivery:
    """What one pass did, for tests and the log."""

    sent: int = 0
    dropped: int = 0
    failed: int = 0
    postponed: int = 0


@dataclass(frozen=True)
class _Answer:
    """What to do with a row after Telegram answered, and what it means for the pass."""

    settled: Settled
    stop_pass: bool = False
    wake_after: timedelta | None = None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: doubling, with a ceiling."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), LONGEST_BACKOFF)


def retry_after_of(error: RetryAfter) -> timedelta:
    """How long a 429 asks to wait, held back by the rate limiter or refused by Telegram."""
    if isinstance(error, HeldBack):
        return error.wait
    # python-telegram-bot warns that this becomes a timedelta in a later version; take both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


class OutboxSender:
    """One per Application. A pass claims due rows and sends many at once, marking each as
    its answer comes; passes do not overlap within the process, and other processes are kept
    apart by the claims."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application
        self._lock = asyncio.Lock()
        self._wanted = False
        self._draining: asyncio.Task[None] | None = None
        self._wake_ups: dict[int, asyncio.TimerHandle] = {}
        self._took_over = False
        self.holder = _new_holder()
        _LIVE.add(self.holder)

    @property
    def _runtime(self) -> Runtime:
        runtime: Runtime = self._application.bot_data.runtime
        return runtime

    @property
    def _bot(self) -> Bot:
        return self._application.bot  # type: ignore[no-any-return]

    def kick(self) -> None:
        """Deliver soon without waiting for it; several kicks in a row make one more pass."""
        self._wanted = True
        if not self._application.running:
            return  # the repeating job and the start-up kick will find the rows
        if self._draining is None or self._draining.done():
            self._draining = self._application.create_task(self._drain(), name="outbox")

    def _kick_after(self, wait: timedelta) -> None:
        """A pass when `wait` is over: rows postponed by a 429 go out the moment they may."""
        if not self._application.running:
            return
        loop = asyncio.get_running_loop()
        # One wake-up per tenth of a second, however many rows wait until then.
        slot = int((loop.time() + wait.total_seconds()) * 10) + 1
        if slot in self._wake_ups:
            return

        def wake() -> None:
            self._wake_ups.pop(slot, None)
            self.kick()

        self._wake_ups[slot] = loop.call_at(slot / 10 + WAKE_MARGIN, wake)

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """No pass runs meanwhile; one starts when it ends (e.g. a benchmark that enqueues a
        burst and then lets it go at once)."""
        async with self._lock:
            yield
        self.kick()

    async def _drain(self) -> None:
        while self._wanted:
            self._wanted = False
            await self.deliver_due()

    async def deliver_due(self) -> Delivery:
        """Send every row that is due now, oldest first; returns what happened."""
        async with self._lock:
            done = Delivery()
            runtime = self._runtime
            if not self._took_over:
                self._took_over = True
                freed = await delivery.take_over(runtime, holder_is_dead)
                if freed:
                    log.info("Outbox: took over %d rows claimed before a restart", freed)
            await self._pass(runtime, done)
            if done.dropped or done.failed or done.postponed:
                log.info(
                    "Outbox: %d sent, %d dropped, %d failed, %d postponed",
                    done.sent,
                    done.dropped,
                    done.failed,
                    done.postponed,
                )
            return done

    async def _pass(self, runtime: Runtime, done: Delivery) -> None:
        sending: set[asyncio.Task[_Answer]] = set()
        claiming = True
        try:
            while True:
                room = IN_FLIGHT - len(sending)
                if claiming and (not sending or room >= CLAIM_AT_LEAST):
                    batch = await delivery.claim_due(
                        runtime, lease=LEASE, limit=room, holder=self.holder
                    )
                    sending.update(asyncio.create_task(self._send(m)) for m in batch)
                if not sending:
                    return
                answers, sending = await self._answers(sending)
                await self._record(answers, done)
                for answer in answers:
                    if answer.wake_after is not None:
                        self._kick_after(answer.wake_after)
                    if answer.stop_pass:
                        # The whole bot must wait (flood control for everyone, or Telegram
                        # out of reach): what is in flight finishes, nothing more is claimed.
                        claiming = False
        finally:
            for task in sending:
                task.cancel()

    async def _answers(
        self, sending: set[asyncio.Task[_Answer]]
    ) -> tuple[list[_Answer], set[asyncio.Task[_Answer]]]:
        """The next answers, gathered for a short while: they are recorded together, in one
        transaction, not one each (which would hold up the writes of people's replies)."""
        finished, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
        answers = [task.result() for task in finished]
        loop = asyncio.get_running_loop()
        until = loop.time() + RECORD_EVERY
        while sending and len(answers) < RECORD_AT_LEAST and until > loop.time():
            if any(answer.stop_pass for answer in answers):
                break
            finished, sending = await asyncio.wait(
                sending, timeout=until - loop.time(), return_when=asyncio.FIRST_COMPLETED
            )
            answers += [task.result() for task in finished]
        return answers, sending

    def _now(self) -> datetime:
        return self._runtime.clock.now()

    async def _send(self, message: Claimed) -> _Answer:
        markup = (
            InlineKeyboardMarkup.de_json(message.keyboard, self._bot) if message.keyboard else None
        )
        try:
            if message.photo:
                # A broadcast with a photo: its text is the caption.
                await self._bot.send_photo(
                    message.chat_id,
                    message.photo,
                    caption=message.text or None,
                    reply_markup=markup,
                    read_timeout=READ_TIMEOUT,
                    rate_limit_args=BULK,  # type: ignore[call-arg]
                )
            else:
                await self._bot.send_message(
                    message.chat_id,
                    message.text,
                    reply_markup=markup,
                    read_timeout=READ_TIMEOUT,
                    rate_limit_args=BULK,  # type: ignore[call-arg]
                )
        except RetryAfter as error:
            wait = retry_after_of(error)
            every_chat = not isinstance(error, HeldBack) or error.every_chat
            log.info(
                "Outbox: row %d waits %.1f s (%s)",
                message.id,
                wait.total_seconds(),
                "every chat" if every_chat else "its chat",
            )
            retry = Settled(message, OutboxStatus.PENDING, self._now() + wait, attempted=False)
            return _Answer(retry, stop_pass=every_chat, wake_after=wait)
        except Forbidden:
            log.info("Outbox: row %d (%s) dropped: the bot is blocked", message.id, message.kind)
            return _Answer(Settled(message, OutboxStatus.DROPPED, failure="blocked"))
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                log.info("Outbox: row %d (%s) dropped: no such chat", message.id, message.kind)
                return _Answer(Settled(message, OutboxStatus.DROPPED, failure="chat_not_found"))
            log.error("Outbox: row %d (%s) refused as a bad request", message.id, message.kind)
            # Telegram's words say what was wrong with the message, not who it was for.
            failure = error.message[:100]
            return _Answer(Settled(message, OutboxStatus.FAILED, failure=failure))
        except TelegramError as error:
            # Network errors and timeouts, and anything else Telegram may answer next time.
            attempts = message.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                log.warning(
                    "Outbox: row %d (%s) failed after %d attempts (%s)",
                    message.id,
                    message.kind,
                    attempts,
                    type(error).__name__,
                )
                failure = type(error).__name__
                return _Answer(Settled(message, OutboxStatus.FAILED, failure=failure))
            # Telegram is probably out of reach for every row: no more are claimed this pass.
            retry = Settled(message, OutboxStatus.PENDING, self._now() + backoff(attempts))
            return _Answer(retry, stop_pass=True)
        return _Answer(Settled(message, OutboxStatus.SENT))

    async def _record(self, answers: list[_Answer], done: Delivery) -> None:
        outcomes = [answer.settled for answer in answers]
        done.dropped += await delivery.settle_all(self._runtime, outcomes, holder=self.holder)
        for outcome in outcomes:
            if outcome.status == OutboxStatus.SENT:
                done.sent += 1
            elif outcome.status == OutboxStatus.PENDING:
                done.postponed += 1
            elif outcome.status == OutboxStatus.FAILED:
                done.failed += 1


def sender_of(application: Application[Any, Any, Any, Any, Any, Any]) -> OutboxSender:
    return cast(OutboxSender, application.bot_data.outbox)


async def outbox_job(context: SammenContext) -> None:
    """The JobQueue callback: a kick, so a long pass never makes the scheduler skip runs."""
    sender_of(context.application).kick()
