"""Warning coordinators in time: an activity starting soon with fewer volunteers than it
needs. Every coordinator hears it (the work must not hang on one person), once per activity
and start time, early enough to find more volunteers or to cancel kindly."""

from __future__ import annotations

import logging

from kernel.context import Runtime
from services import minimum, notices
from services.unit_of_work import unit_of_work
from storage import people, reminders
from storage.activities import ActivityInfo

log = logging.getLogger(__name__)

# Two days ahead (services.minimum.warn_ahead): time to call volunteers before the
# coordinators are asked whether it goes ahead anyway, and for support persons to hear of a
# cancellation.


def _warning(runtime: Runtime, activity: ActivityInfo) -> notices.Render:
    hours = int(minimum.ask_ahead(runtime.settings).total_seconds() // 3600)
    return minimum.shortfall_text(runtime, "activity.shortfall.alert", activity, hours=hours)


async def warn_of_shortfalls(runtime: Runtime) -> int:
    """Enqueue a warning to every coordinator for each activity starting within
    `minimum.warn_ahead` below its minimum of volunteers; returns how many were enqueued."""
    now = runtime.clock.now()
    enqueued = 0
    async with unit_of_work(runtime) as session:
        until = now + minimum.warn_ahead(runtime.settings)
        soon = await reminders.starting_between(session, after=now, until=until)
        short = [activity for activity in soon if activity.is_short]
        everyone = await people.coordinators(session) if short else []
        for activity in short:
            starts = activity.starts_at.isoformat() if activity.starts_at else ""
            for coordinator in everyone:
                if await notices.owe(
                    session,
                    runtime,
                    coordinator.telegram_id,
                    _warning(runtime, activity),
                    kind=notices.SHORTFALL,
                    dedupe_key=f"shortfall:{activity.id}:{coordinator.id}:{starts}",
                ):
                    enqueued += 1
    if enqueued:
        log.info("Shortfall warnings: %d enqueued", enqueued)
    return enqueued
