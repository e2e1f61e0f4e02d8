"""The one table of scheduled work, used by the bot and by the playground.

Each job calls a service with the runtime; the service's unit of work wakes the outbox sender
when it owed someone a message. The outbox sender itself ticks too (scheduler.outbox), so
nothing owed waits for a wake-up that a crash swallowed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram.ext import JobQueue

from kernel.context import Runtime, SammenContext
from scheduler import outbox
from services.erasure import WIPE_EVERY, wipe_erased
from services.follow_up import ask_how_it_went
from services.minimum import settle as settle_minimums
from services.planning import announce_pending
from services.reminders import remind
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


# In this order when the playground moves its clock: forget first, then what is owed.
JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob("retention", forget_on_schedule, timedelta(hours=6), timedelta(minutes=1)),
    ScheduledJob("wipe", wipe_erased, WIPE_EVERY, WIPE_EVERY),
    # New activities whose volunteers were not told yet because the process died right after
    # publishing: told soon after the restart.
    ScheduledJob("announcements", announce_pending, timedelta(minutes=1), timedelta(seconds=5)),
    ScheduledJob("shortfalls", warn_of_shortfalls, timedelta(minutes=30), timedelta(seconds=40)),
    # Before the reminders: an activity still short is asked about (or cancelled) first, and
    # its reminder waits for the answer. As often as the reminders, so none waits long.
    ScheduledJob("minimum", settle_minimums, timedelta(minutes=10), timedelta(seconds=35)),
    ScheduledJob("reminders", remind, timedelta(minutes=10), timedelta(seconds=30)),
    ScheduledJob("follow-up", ask_how_it_went, timedelta(minutes=15), timedelta(seconds=45)),
)


def schedule_all(job_queue: JobQueue[SammenContext]) -> None:
    """Register every job, and the outbox sender's tick, on the Application's JobQueue."""
    for job in JOBS:
        job_queue.run_repeating(job, interval=job.every, first=job.first, name=job.name)
    job_queue.run_repeating(
        outbox.outbox_job, interval=outbox.EVERY, first=outbox.EVERY, name="outbox"
    )
