"""The outbox sender: delivers owed messages to Telegram, at the pace Telegram allows.

It runs every few seconds as a JobQueue job, and at once when a unit of work has committed
something that enqueued (services.unit_of_work wakes it), so people hear of a change within
moments. How it treats Telegram's answers:

- sent: the row is settled and its text forgotten;
- 429 (RetryAfter): the row, and the rest of the batch, wait the seconds Telegram asked for;
- 403 (the person blocked the bot) or "chat not found": dropped, with everything else still
  owed to that person, and never tried again;
- any other bad request: failed, as trying again would only repeat it;
- network trouble or a timeout: tried again later, waiting longer each time, and failed
  after MAX_ATTEMPTS.

Delivery is at least once: when a send times out, Telegram may have delivered it anyway, and
a sender killed between sending and marking leaves its row to be sent again after the lease.
Logs name rows by id and kind, never by text or person.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from kernel.context import Runtime, SammenContext
from services import delivery
from services.delivery import Claimed, OutboxStatus

log = logging.getLogger(__name__)

EVERY = timedelta(seconds=5)
BATCH = 20
# Longer than any one send can take, so a live sender never loses its rows to another.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
FIRST_BACKOFF = timedelta(seconds=15)
LONGEST_BACKOFF = timedelta(minutes=30)


class _NoRetries(int):
    """Tells AIORateLimiter to try once: the outbox answers a 429 by postponing the row, not
    by sleeping in the sender. The limiter reads `rate_limit_args or max_retries`, so a plain
    0 would mean its default; this zero is truthy."""

    def __bool__(self) -> bool:
        return True


NO_RETRIES = _NoRetries(0)


@dataclass
class Delivery:
    """What one pass did, for tests and the log."""

    sent: int = 0
    dropped: int = 0
    failed: int = 0
    postponed: int = 0


@dataclass(frozen=True)
class _Answer:
    """What to do with a row after Telegram answered."""

    status: str
    retry_at: datetime | None = None
    attempted: bool = True
    stop_pass: bool = False


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: doubling, with a ceiling."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), LONGEST_BACKOFF)


def _retry_after(error: RetryAfter) -> timedelta:
    # python-telegram-bot warns that this becomes a timedelta in a later version; take both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


class OutboxSender:
    """One per Application. A pass claims due rows, sends them and marks each one; passes do
    not overlap within the process, and other processes are kept apart by the claims."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._application = application
        self._lock = asyncio.Lock()
        self._wanted = False
        self._draining: asyncio.Task[None] | None = None

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

    async def _drain(self) -> None:
        while self._wanted:
            self._wanted = False
            await self.deliver_due()

    async def deliver_due(self) -> Delivery:
        """Send every row that is due now, oldest first; returns what happened."""
        async with self._lock:
            done = Delivery()
            runtime = self._runtime
            while True:
                batch = await delivery.claim_due(runtime, lease=LEASE, limit=BATCH)
                if not batch or not await self._send_batch(batch, done):
                    break
            if done.dropped or done.failed or done.postponed:
                log.info(
                    "Outbox: %d sent, %d dropped, %d failed, %d postponed",
                    done.sent,
                    done.dropped,
                    done.failed,
                    done.postponed,
                )
            return done

    async def _send_batch(self, batch: list[Claimed], done: Delivery) -> bool:
        """Send a claimed batch; False when Telegram asked us to stop for now."""
        for index, message in enumerate(batch):
            answer = await self._send(message)
            await self._record(message, answer, done)
            if answer.stop_pass:
                # Flood control and network trouble hit the whole bot, not one chat: the rest
                # of the batch waits too, untried, instead of each meeting the same answer.
                rest = [later.id for later in batch[index + 1 :]]
                until = answer.retry_at or self._now() + FIRST_BACKOFF
                await delivery.postpone(self._runtime, rest, until=until, attempted=False)
                done.postponed += len(rest)
                return False
        return True

    def _now(self) -> datetime:
        return self._runtime.clock.now()

    async def _send(self, message: Claimed) -> _Answer:
        markup = (
            InlineKeyboardMarkup.de_json(message.keyboard, self._bot) if message.keyboard else None
        )
        try:
            await self._bot.send_message(
                message.chat_id,
                message.text,
                reply_markup=markup,
                rate_limit_args=NO_RETRIES,  # type: ignore[call-arg]
            )
        except RetryAfter as error:
            wait = _retry_after(error)
            log.info(
                "Outbox: Telegram asked to wait %s s (row %d)", wait.total_seconds(), message.id
            )
            return _Answer(
                OutboxStatus.PENDING, self._now() + wait, attempted=False, stop_pass=True
            )
        except Forbidden:
            log.info("Outbox: row %d (%s) dropped: the bot is blocked", message.id, message.kind)
            return _Answer(OutboxStatus.DROPPED)
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                log.info("Outbox: row %d (%s) dropped: no such chat", message.id, message.kind)
                return _Answer(OutboxStatus.DROPPED)
            log.error("Outbox: row %d (%s) refused as a bad request", message.id, message.kind)
            return _Answer(OutboxStatus.FAILED)
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
                return _Answer(OutboxStatus.FAILED)
            # Telegram is probably out of reach for every row: the rest of the batch waits too.
            return _Answer(OutboxStatus.PENDING, self._now() + backoff(attempts), stop_pass=True)
        return _Answer(OutboxStatus.SENT)

    async def _record(self, message: Claimed, answer: _Answer, done: Delivery) -> None:
        runtime = self._runtime
        if answer.status == OutboxStatus.PENDING:
            until = answer.retry_at or self._now()
            await delivery.postpone(runtime, [message.id], until=until, attempted=answer.attempted)
            done.postponed += 1
            return
        settled = await delivery.settle(runtime, message, answer.status)
        if answer.status == OutboxStatus.SENT:
            done.sent += 1
        elif answer.status == OutboxStatus.DROPPED:
            done.dropped += settled
        else:
            done.failed += 1


def sender_of(application: Application[Any, Any, Any, Any, Any, Any]) -> OutboxSender:
    return cast(OutboxSender, application.bot_data.outbox)


async def outbox_job(context: SammenContext) -> None:
    """The JobQueue callback: a kick, so a long pass never makes the scheduler skip runs."""
    sender_of(context.application).kick()
