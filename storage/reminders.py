"""Who is reminded of which activity, and when: the questions the reminder job asks.

Kept apart from the job so the answer to "who gets a reminder for this activity" is one
function: volunteers going, and support persons of the citizens booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import bookings
from storage.activities import ActivityInfo, to_info
from storage.models import Activity, ActivityStatus, Participation, ParticipationStatus, Person
from storage.participation import first_name


@dataclass(frozen=True)
class ReminderRecipient:
    """Someone going to an activity who is reminded of it."""

    person_id: int
    telegram_id: int
    language: str | None
    first_name: str
    # Why they go: "volunteer" (named to others going as company: "you will not be alone"),
    # or "support" for a support person whose citizens are booked.
    going_as: str
    # For a support person: the first names of their citizens booked into the activity.
    citizens: tuple[str, ...] = ()


VOLUNTEER = "volunteer"
SUPPORT = "support"


async def starting_between(
    session: AsyncSession, *, after: datetime, until: datetime
) -> list[ActivityInfo]:
    """Published (not cancelled) activities starting after `after` and by `until`."""
    found = await session.execute(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > after,
            Activity.starts_at <= until,
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    return [to_info(activity) for activity in found.scalars()]


async def reminder_recipients(session: AsyncSession, activity_id: int) -> list[ReminderRecipient]:
    """Everyone to remind of this activity: the volunteers going (not those waiting), who
    consented, in the order they joined; then the support persons of citizens booked."""
    rows = await session.execute(
        select(Person.id, Person.telegram_id, Person.language, Person.name)
        .join(Participation, Participation.person_id == Person.id)
        .where(
            Participation.activity_id == activity_id,
            Participation.status == ParticipationStatus.JOINED,
            Person.consent_version.is_not(None),
        )
        .order_by(Participation.id)
    )
    volunteers = [
        ReminderRecipient(person_id, telegram_id, language, first_name(name), VOLUNTEER)
        for person_id, telegram_id, language, name in rows
    ]
    supporters = [
        ReminderRecipient(
            contact.person_id, contact.telegram_id, contact.language, "", SUPPORT, contact.citizens
        )
        for contact in await bookings.support_contacts(session, activity_id)
    ]
    return volunteers + supporters
