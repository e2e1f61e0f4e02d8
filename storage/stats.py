"""Numbers for coordinators: how many people each campaign brought, how far they got, and
how many citizens support persons book for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, ActivityStatus, Booking, Citizen, Person, Role


@dataclass(frozen=True)
class CampaignFigures:
    campaign: str | None
    leads: int
    signing_up: int
    volunteers: int


async def campaign_figures(session: AsyncSession) -> list[CampaignFigures]:
    """Per campaign (None = came without a link): leads, sign-ups under way, active volunteers."""
    consented = (Person.role == Role.VOLUNTEER) & Person.consent_version.is_not(None)
    statement = (
        select(
            Person.campaign,
            func.sum(case((Person.role == Role.LEAD, 1), else_=0)),
            func.sum(case((consented & Person.signup_completed_at.is_(None), 1), else_=0)),
            func.sum(case((consented & Person.signup_completed_at.is_not(None), 1), else_=0)),
        )
        .where(Person.role.in_((Role.LEAD, Role.VOLUNTEER)))
        .group_by(Person.campaign)
        .order_by(Person.campaign)
    )
    result = await session.execute(statement)
    return [
        CampaignFigures(campaign, int(leads or 0), int(signing or 0), int(active or 0))
        for campaign, leads, signing, active in result.all()
    ]


@dataclass(frozen=True)
class BookingFigures:
    support_persons: int
    citizens: int
    upcoming_bookings: int


async def booking_figures(session: AsyncSession, *, now: datetime) -> BookingFigures:
    """Registered support persons, the citizens they book for, and bookings still ahead."""
    support_persons = await session.scalar(
        select(func.count()).where(
            Person.role == Role.SUPPORT, Person.signup_completed_at.is_not(None)
        )
    )
    citizens = await session.scalar(select(func.count()).select_from(Citizen))
    upcoming = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .join(Activity, Activity.id == Booking.activity_id)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now)
    )
    return BookingFigures(int(support_persons or 0), int(citizens or 0), int(upcoming or 0))
