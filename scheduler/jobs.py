"""The one table of scheduled work, used by the bot and by the playground.

Each job calls a service with the runtime; the service's unit of work wakes the outbox sender
when it owed someone a message. The outbox sender itself ticks too (scheduler.outbox), so
nothing owed waits for a wake-up that a crash swallowed.

The reminders are due at exact times (each of the configured offsets), so their job also
runs once at the moment the next one falls due (`OnTimeJob`); its periodic run is the safety
net that notices activities published, moved or decided on since, and catches up at once
after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from telegram.error import BadRequest, TelegramError
from telegram.ext import JobQueue

from kernel.context import Runtime, SammenContext
from scheduler import outbox
from services import broadcasts
from services.calls import call_due
from services.erasure import WIPE_EVERY, wipe_erased
from services.follow_up import ask_how_it_went
from services.menus import follow_roles
from services.minimum import settle as settle_minimums
from services.planning import announce_pending
from services.reminders import Reminded, remind_due
from services.retention import forget_on_schedule
from services.shortfalls import warn_of_shortfalls


@dataclass(frozen=True)
class ScheduledJob:
    """A service run on its own clock: every `every`, the first time `first` after start."""

    name: str
    run: Callable[[Runtime], Awaitable[object]]
    every: timedelta
    first: timedelta

    async def __call__(self, context: SammenContext) -> None:
        """The JobQueue callback."""
        await self.run(context.runtime)


@dataclass(frozen=True)
class OnTimeJob(ScheduledJob):
    """A job whose service says when its next work falls due: besides every `every`, it runs
    once at that moment, so the work is done on time rather than up to `every` late."""

    run: Callable[[Runtime], Awaitable[Reminded]]

    @property
    def on_time(self) -> str:
        return f"{self.name}:on-time"

    async def __call__(self, context: SammenContext) -> None:
        """The JobQueue callback, for the periodic run and for the planned one."""
        done = await self.run(context.runtime)
        # The Application builds its JobQueue for SammenContext (bot.app).
        queue = cast("JobQueue[SammenContext] | None", context.job_queue)
        if queue is None:
            return
        # One planned run at a time: each run plans afresh from what the database says now.
        for planned in queue.get_jobs_by_name(self.on_time):
            # One that already fired is gone from the scheduler (APScheduler's JobLookupError).
            with contextlib.suppress(LookupError):
                planned.schedule_removal()
        if done.next_due is None:
            return
        wait = (done.next_due - context.runtime.clock.now()).total_seconds()
        if wait < self.every.total_seconds():
            queue.run_once(self, when=max(wait, 0.0), name=self.on_time)


# In this order when the playground moves its clock: forget first, then what is owed.
JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob("retention", forget_on_schedule, timedelta(hours=6), timedelta(minutes=1)),
    ScheduledJob("wipe", wipe_erased, WIPE_EVERY, WIPE_EVERY),
    # New activities whose volunteers were not told yet because the process died right after
    # publishing: told soon after the restart.
    ScheduledJob("announcements", announce_pending, timedelta(minutes=1), timedelta(seconds=5)),
    ScheduledJob("shortfalls", warn_of_shortfalls, timedelta(minutes=30), timedelta(seconds=40)),
    # An activity still short is asked about (or cancelled) before its reminder is due, and
    # the reminder waits for the answer: held back until a coordinator decides to go ahead.
    ScheduledJob("minimum", settle_minimums, timedelta(minutes=10), timedelta(seconds=35)),
    # An activity still short `call_ahead_hours` before the start calls on matching volunteers
    # (each at most a few times a week); a later run reaches only those not called yet.
    ScheduledJob("calls", call_due, timedelta(minutes=15), timedelta(seconds=50)),
    # At each reminder's due time (planned by the run before). Every minute besides, a query
    # that finds nothing most of the time notices activities published, moved or decided on
    # since; right after a start, it catches up on reminders due while the bot was down.
    OnTimeJob("reminders", remind_due, timedelta(minutes=1), timedelta(seconds=1)),
    ScheduledJob("follow-up", ask_how_it_went, timedelta(minutes=15), timedelta(seconds=45)),
)


# How often a broadcast's sender sees its progress, and a scheduled one is started.
BROADCASTS_EVERY = timedelta(seconds=3)


# One showing at a time in this process: two runs at once (the job's tick and a run the
# playground or a test asks for) would each send a new progress message for the same broadcast.
# A lock per event loop, since a lock belongs to the loop it first waited in.
_SHOWING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


async def broadcasts_job(context: SammenContext) -> None:
    """Start the scheduled broadcasts that are due, and edit each sender's progress message
    (a new one when it has none yet, or it cannot be edited)."""
    async with _SHOWING.setdefault(asyncio.get_running_loop(), asyncio.Lock()):
        await _show_progress(context)


async def _show_progress(context: SammenContext) -> None:
    runtime = context.runtime
    for progress in await broadcasts.tick(runtime):
        message_id = progress.message_id
        try:
            if message_id:
                try:
                    await context.bot.edit_message_text(
                        progress.text, chat_id=progress.chat_id, message_id=message_id
                    )
                except BadRequest as error:
                    if "not modified" not in error.message.lower():
                        message_id = None
            if not message_id:
                sent = await context.bot.send_message(progress.chat_id, progress.text)
                message_id = sent.message_id
        except TelegramError as error:
            # Shown at the next tick instead; the report stays on the broadcast regardless.
            logging.getLogger(__name__).info(
                "Broadcast %d: progress not shown (%s)", progress.broadcast_id, type(error).__name__
            )
            continue
        await broadcasts.shown(
            runtime,
            progress.broadcast_id,
            chat_id=progress.chat_id,
            message_id=message_id,
            fingerprint=progress.fingerprint,
        )


# Menus whose role changed without the person writing since (an invitation used, an approval,
# a coordinator's change made before a crash): published within this long. It needs the bot,
# so it is not in JOBS, whose services take the runtime alone.
MENUS_EVERY = timedelta(seconds=15)


async def follow_menus(context: SammenContext) -> None:
    """The JobQueue callback: every command menu follows its person's role."""
    await follow_roles(context.runtime, context.bot)


def schedule_all(job_queue: JobQueue[SammenContext]) -> None:
    """Register every job, and the outbox sender's tick, on the Application's JobQueue."""
    for job in JOBS:
        job_queue.run_repeating(job, interval=job.every, first=job.first, name=job.name)
    job_queue.run_repeating(follow_menus, interval=MENUS_EVERY, first=MENUS_EVERY, name="menus")
    job_queue.run_repeating(
        broadcasts_job, interval=BROADCASTS_EVERY, first=BROADCASTS_EVERY, name="broadcasts"
    )
    job_queue.run_repeating(
        outbox.outbox_job, interval=outbox.EVERY, first=outbox.EVERY, name="outbox"
    )
