"""Forgetting on schedule, as the consent text promises."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import notices
from bot.context import Runtime, SammenContext
from scheduler.outbox import deliver_now, purge_settled
from storage import retention
from storage.engine import checkpoint_wal

log = logging.getLogger(__name__)

# A month is taken as 30 days: the promise is "about N months", and a fixed length keeps
# the rule the same in every month of the year.
DAYS_PER_MONTH = 30


async def forget_on_schedule(runtime: Runtime) -> retention.RetentionResult:
    """Forget leads not seen for LEAD_RETENTION_DAYS and erase volunteers inactive for
    VOLUNTEER_RETENTION_MONTHS; whoever moves up into a place they freed is told."""
    settings = runtime.settings
    now = runtime.clock.now()
    async with runtime.sessions.begin() as session:
        leads = await retention.forget_stale_leads(
            session, seen_before=now - timedelta(days=settings.lead_retention_days)
        )
        erasures = await retention.erase_inactive_volunteers(
            session,
            seen_before=now - timedelta(days=DAYS_PER_MONTH * settings.volunteer_retention_months),
            key=runtime.pseudonym_key,
            now=now,
        )
        for erasure in erasures:
            for attendee, activity in erasure.moved_up:
                await notices.moved_up(session, runtime, attendee, activity)
    result = retention.RetentionResult(leads_forgotten=leads, volunteers_erased=len(erasures))
    if leads or erasures:
        # Erased means the bytes are gone: fold the write-ahead log's old pages in now.
        await checkpoint_wal(runtime.engine)
        log.info("Retention: forgot %d leads, erased %d volunteers", leads, len(erasures))
    return result


async def retention_job(context: SammenContext) -> None:
    """The JobQueue callback around forget_on_schedule; also trims the outbox's audit rows."""
    await forget_on_schedule(context.runtime)
    deliver_now(context.application)
    await purge_settled(context.runtime)
