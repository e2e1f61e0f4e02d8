"""Forgetting on schedule, as the consent text promises."""

from __future__ import annotations

import logging
from datetime import timedelta

from kernel.context import Runtime
from services.erasure import wipe_erased
from services.participation import tell_about_departure
from services.unit_of_work import unit_of_work
from storage import broadcasts, outbox, retention, wipe

log = logging.getLogger(__name__)

# A month is taken as 30 days: the promise is "about N months", and a fixed length keeps
# the rule the same in every month of the year.
DAYS_PER_MONTH = 30
# Settled outbox rows (kinds and times, never texts) stay this long for the audit, then go.
KEEP_SETTLED = timedelta(days=90)
# A broadcast's words stay as long as its outbox rows; its counts and audience stay for good.
KEEP_BROADCAST_TEXTS = KEEP_SETTLED
# A draft nobody sent or discarded within this long was abandoned.
KEEP_DRAFTS = timedelta(days=2)


async def forget_on_schedule(runtime: Runtime) -> retention.RetentionResult:
    """Forget leads not seen for LEAD_RETENTION_DAYS and erase volunteers inactive for
    VOLUNTEER_RETENTION_MONTHS; whoever moves up into a place they freed is told."""
    settings = runtime.settings
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
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
            for departure in erasure.departures:
                await tell_about_departure(session, runtime, departure)
        await outbox.purge_settled(session, before=now - KEEP_SETTLED)
        await broadcasts.forget_old(
            session, drafts_before=now - KEEP_DRAFTS, texts_before=now - KEEP_BROADCAST_TEXTS
        )
        if leads or erasures:
            await wipe.owe(session, now=now)
    result = retention.RetentionResult(leads_forgotten=leads, volunteers_erased=len(erasures))
    if leads or erasures:
        # Erased means the bytes are gone: wipe them now, or the wipe job does it soon.
        await wipe_erased(runtime)
        log.info("Retention: forgot %d leads, erased %d volunteers", leads, len(erasures))
    return result
