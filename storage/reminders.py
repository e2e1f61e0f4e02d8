"""Who is reminded of which activity, and when: the questions the reminder job asks.

Kept apart from the job so the answer to "who gets a reminder for this activity" is one
function: volunteers going, and support persons of the citizens booked.

An activity's reminders are due at each configured `lead` before its start.
`Activity.reminded_for` holds the start its reminders were enqueued for and
`reminded_lead_minutes` the lead of the last one, so the job asks only for activities due and
not reminded at that lead of their current start (one indexed query per lead that finds
nothing when nothing is due), and an activity moved to another start is due afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.activities import ActivityInfo, to_info
from storage.models import (
    Activity,
    ActivityStatus,
    Booking,
    Citizen,
    Participation,
    ParticipationStatus,
    Person,
)
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
    # ... and their ids, in the same order (each has its own answer buttons).
    citizen_ids: tuple[int, ...] = ()


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


def _minutes(lead: timedelta) -> int:
    return int(lead.total_seconds() // 60)


def _not_reminded(lead: timedelta) -> ColumnElement[bool]:
    """Not yet reminded at this lead (or a shorter one) of the start it has now: never, of an
    earlier start, or only at a longer lead. A start reminded before leads were kept (NULL)
    counts as reminded at the longest lead, so the shorter ones still go out."""
    return or_(
        Activity.reminded_for.is_(None),
        Activity.reminded_for != Activity.starts_at,
        func.coalesce(Activity.reminded_lead_minutes, _NO_LEAD) > _minutes(lead),
    )


# Longer than any lead: what a NULL lead counts as.
_NO_LEAD = 100_000


def _due(now: datetime, lead: timedelta) -> list[ColumnElement[bool]]:
    # Not started yet: a reminder after the start is of no use, also after a long downtime.
    return [
        Activity.starts_at > now,
        Activity.starts_at <= now + lead,
        Activity.status == ActivityStatus.PUBLISHED,
        _not_reminded(lead),
    ]


async def due(session: AsyncSession, *, now: datetime, lead: timedelta) -> list[ActivityInfo]:
    """Published activities whose reminder at `lead` is due (they start within `lead`, and
    not yet) and was not enqueued for the start they have now, soonest first."""
    found = await session.execute(
        select(Activity).where(*_due(now, lead)).order_by(Activity.starts_at, Activity.id)
    )
    return [to_info(activity) for activity in found.scalars()]


async def due_at_leads(
    session: AsyncSession, *, now: datetime, leads: Sequence[timedelta]
) -> list[tuple[ActivityInfo, timedelta]]:
    """Activities with a reminder due at any of these leads, each with the nearest lead due
    (one query however many leads): within two leads at once, only the nearer is sent."""
    if not leads:
        return []
    found = await session.execute(
        select(Activity)
        .where(or_(*(and_(*_due(now, lead)) for lead in leads)))
        .order_by(Activity.starts_at, Activity.id)
    )
    owed = []
    for activity in found.scalars():
        assert activity.starts_at is not None
        # The lead reminded at, for this start (a longer one than any lead when none).
        reminded = _NO_LEAD + 1
        if activity.reminded_for == activity.starts_at:
            reminded = activity.reminded_lead_minutes or _NO_LEAD
        open_leads = [
            lead for lead in leads if activity.starts_at <= now + lead and reminded > _minutes(lead)
        ]
        if open_leads:
            owed.append((to_info(activity), min(open_leads)))
    return owed


async def next_due(session: AsyncSession, *, now: datetime, lead: timedelta) -> datetime | None:
    """When the next reminder at `lead` falls due that is not due yet: `lead` before the
    soonest start beyond the window, not yet reminded of; None when there is none."""
    return await next_due_at_leads(session, now=now, leads=[lead])


async def next_due_at_leads(
    session: AsyncSession, *, now: datetime, leads: Sequence[timedelta]
) -> datetime | None:
    """When the next reminder at any of these leads falls due that is not due yet, asked in
    one statement (a scalar subquery per lead); None when there is none."""
    if not leads:
        return None
    soonest = [
        select(func.min(Activity.starts_at))
        .where(
            Activity.starts_at > now + lead,
            Activity.status == ActivityStatus.PUBLISHED,
            _not_reminded(lead),
        )
        .scalar_subquery()
        for lead in leads
    ]
    row = (await session.execute(select(*soonest))).one()
    times = [start - lead for start, lead in zip(row, leads, strict=True) if start is not None]
    return min(times, default=None)


async def reminded_already(session: AsyncSession, activity_id: int) -> bool:
    """Whether a reminder of this activity's current start went out already."""
    return await reminded_lead(session, activity_id) is not None


async def reminded_lead(session: AsyncSession, activity_id: int) -> timedelta | None:
    """The lead of the last reminder of this activity's current start that went out (None:
    none yet); a start reminded before leads were kept answers zero."""
    found = await session.execute(
        select(Activity.reminded_lead_minutes).where(
            Activity.id == activity_id, Activity.reminded_for == Activity.starts_at
        )
    )
    row = found.first()
    if row is None:
        return None
    return timedelta(minutes=row[0] or 0)


async def mark_reminded(
    session: AsyncSession, activities: Sequence[ActivityInfo], *, now: datetime, lead: timedelta
) -> list[ActivityInfo]:
    """Record that these activities are reminded of their current start at `lead`, with one
    conditional UPDATE; returns those this call marked (still due, at the start they were
    read with). Two runs at once cannot both mark one: on PostgreSQL the second waits for the
    first's row lock and then finds it marked, SQLite lets one writer at a time."""
    if not activities:
        return []
    marked = await session.execute(
        update(Activity)
        .where(Activity.id.in_([activity.id for activity in activities]), *_due(now, lead))
        .values(reminded_for=Activity.starts_at, reminded_lead_minutes=_minutes(lead))
        .returning(Activity.id, Activity.starts_at)
        .execution_options(synchronize_session=False)
    )
    starts = {activity_id: starts_at for activity_id, starts_at in marked}
    return [activity for activity in activities if starts.get(activity.id) == activity.starts_at]


async def recipients_of(
    session: AsyncSession, activity_ids: Sequence[int]
) -> dict[int, list[ReminderRecipient]]:
    """Everyone to remind of each of these activities, with two queries whatever their
    number: the volunteers going (not those waiting), who consented, in the order they
    joined; then the support persons of citizens booked, each once with all their citizens."""
    going: dict[int, list[ReminderRecipient]] = {activity_id: [] for activity_id in activity_ids}
    if not activity_ids:
        return going
    volunteers = await session.execute(
        select(
            Participation.activity_id, Person.id, Person.telegram_id, Person.language, Person.name
        )
        .join(Participation, Participation.person_id == Person.id)
        .where(
            Participation.activity_id.in_(activity_ids),
            Participation.status == ParticipationStatus.JOINED,
            Person.consent_version.is_not(None),
        )
        .order_by(Participation.activity_id, Participation.id)
    )
    for activity_id, person_id, telegram_id, language, name in volunteers:
        going[activity_id].append(
            ReminderRecipient(person_id, telegram_id, language, first_name(name), VOLUNTEER)
        )
    booked = await session.execute(
        select(
            Booking.activity_id,
            Person.id,
            Person.telegram_id,
            Person.language,
            Citizen.first_name,
            Citizen.id,
        )
        .join(Citizen, Citizen.support_person_id == Person.id)
        .join(Booking, Booking.citizen_id == Citizen.id)
        .where(Booking.activity_id.in_(activity_ids))
        .order_by(Booking.activity_id, Person.id, Booking.id)
    )
    supporters: dict[tuple[int, int], ReminderRecipient] = {}
    for activity_id, person_id, telegram_id, language, citizen, citizen_id in booked:
        known = supporters.get((activity_id, person_id))
        citizens = (known.citizens if known else ()) + (citizen,)
        ids = (known.citizen_ids if known else ()) + (citizen_id,)
        supporters[(activity_id, person_id)] = ReminderRecipient(
            person_id, telegram_id, language, "", SUPPORT, citizens, ids
        )
    for (activity_id, _), supporter in supporters.items():
        going[activity_id].append(supporter)
    return going


async def reminder_recipients(session: AsyncSession, activity_id: int) -> list[ReminderRecipient]:
    """Everyone to remind of this activity: the volunteers going (not those waiting), who
    consented, in the order they joined; then the support persons of citizens booked."""
    return (await recipients_of(session, [activity_id]))[activity_id]
