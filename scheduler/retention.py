"""Forgetting on schedule, as the consent text promises."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import Runtime, SammenContext
from storage import retention

log = logging.getLogger(__name__)

# A month is taken as 30 days: the promise is "about N months", and a fixed length keeps
# the rule the same in every month of the year.
DAYS_PER_MONTH = 30


async def forget_on_schedule(runtime: Runtime) -> retention.RetentionResult:
    """Forget leads not seen for LEAD_RETENTION_DAYS and erase volunteers inactive for
    VOLUNTEER_RETENTION_MONTHS."""
    settings = runtime.settings
    now = runtime.clock.now()
    async with runtime.sessions.begin() as session:
        leads = await retention.forget_stale_leads(
            session, seen_before=now - timedelta(days=settings.lead_retention_days)
        )
        volunteers = await retention.erase_inactive_volunteers(
            session,
            seen_before=now - timedelta(days=DAYS_PER_MONTH * settings.volunteer_retention_months),
            key=runtime.pseudonym_key,
            now=now,
        )
    result = retention.RetentionResult(leads_forgotten=leads, volunteers_erased=volunteers)
    if leads or volunteers:
        log.info("Retention: forgot %d leads, erased %d volunteers", leads, volunteers)
    return result


async def retention_job(context: SammenContext) -> None:
    """The JobQueue callback around forget_on_schedule."""
    await forget_on_schedule(context.runtime)
