"""The figures coordinators read with /stats."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import audit
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import feedback, stats
from storage.feedback import ActivityFeedback
from storage.models import FeedbackAnswer
from storage.stats import BookingFigures, CampaignFigures

__all__ = [
    "ActivityFeedback",
    "BookingFigures",
    "CampaignFigures",
    "FeedbackAnswer",
    "Figures",
    "figures",
]


@dataclass(frozen=True)
class Figures:
    """Leads, sign-ups and volunteers per campaign link; support persons, citizens and
    bookings; and how the latest activities went."""

    campaigns: list[CampaignFigures]
    booking: BookingFigures
    lately: list[ActivityFeedback]


async def figures(runtime: Runtime, by: PersonInfo | None = None) -> Figures:
    """Everything /stats shows, read in one transaction; `by`, the coordinator reading them,
    is written to the audit log (an export of figures about others)."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        found = Figures(
            await stats.campaign_figures(session),
            await stats.booking_figures(session, now=now),
            await feedback.recent(session, now=now),
        )
        if by is not None:
            await audit.record(session, by.id, AuditAction.EXPORT_STATS, runtime=runtime)
        return found
