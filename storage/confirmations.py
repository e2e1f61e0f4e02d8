"""Answers to reminders ("I'm coming" / "I can't come after all") and calls for volunteers:
who confirmed which start, who left an activity (never called to it again), and who was
called when (at most a few calls a person a week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import volunteers
from storage.activities import ActivityInfo, to_info
from storage.dialects import insert_for
from storage.models import (
    Activity,
    ActivityStatus,
    Booking,
    Citizen,
    Participation,
    ParticipationStatus,
    Person,
    UtcDateTime,
    VolunteerCall,
)
from storage.participation import first_name


async def is_going(session: AsyncSession, activity_id: int, person_id: int) -> bool:
    """Whether this volunteer has a place (not only waiting) in the activity."""
    found = await session.scalar(
        select(Participation.id).where(
            Participation.activity_id == activity_id,
            Participation.person_id == person_id,
            Participation.status == ParticipationStatus.JOINED,
        )
    )
    return found is not None


async def confirm_volunteer(
    session: AsyncSession, activity_id: int, person_id: int, starts_at: datetime
) -> bool:
    """Record that this volunteer comes to this start; False when they have no place."""
    done = await session.execute(
        update(Participation)
        .where(
            Participation.activity_id == activity_id,
            Participation.person_id == person_id,
            Participation.status == ParticipationStatus.JOINED,
        )
        .values(confirmed_for=starts_at)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


async def booked_citizen(
    session: AsyncSession, activity_id: int, citizen_id: int, support_person_id: int
) -> str | None:
    """The first name of this support person's citizen booked into the activity (None: no
    such booking, or not their citizen)."""
    return await session.scalar(
        select(Citizen.first_name)
        .join(Booking, Booking.citizen_id == Citizen.id)
        .where(
            Booking.activity_id == activity_id,
            Booking.citizen_id == citizen_id,
            Citizen.support_person_id == support_person_id,
        )
    )


async def confirm_booking(
    session: AsyncSession, activity_id: int, citizen_id: int, starts_at: datetime
) -> None:
    await session.execute(
        update(Booking)
        .where(Booking.activity_id == activity_id, Booking.citizen_id == citizen_id)
        .values(confirmed_for=starts_at)
    )


@dataclass(frozen=True)
class Answers:
    """Who going to an activity confirmed its current start from a reminder, and who not yet
    (first names; citizens by first name too, for the coordinators)."""

    confirmed: tuple[str, ...]
    unanswered: tuple[str, ...]


async def answers(session: AsyncSession, activity_id: int, starts_at: datetime) -> Answers:
    """Two queries: the volunteers with a place, then the citizens booked."""
    confirmed: list[str] = []
    unanswered: list[str] = []
    volunteers = await session.execute(
        select(Person.name, Participation.confirmed_for)
        .join(Participation, Participation.person_id == Person.id)
        .where(
            Participation.activity_id == activity_id,
            Participation.status == ParticipationStatus.JOINED,
        )
        .order_by(Participation.id)
    )
    for name, confirmed_for in volunteers:
        (confirmed if confirmed_for == starts_at else unanswered).append(first_name(name))
    citizens = await session.execute(
        select(Citizen.first_name, Booking.confirmed_for)
        .join(Booking, Booking.citizen_id == Citizen.id)
        .where(Booking.activity_id == activity_id)
        .order_by(Booking.id)
    )
    for name, confirmed_for in citizens:
        (confirmed if confirmed_for == starts_at else unanswered).append(name)
    return Answers(tuple(confirmed), tuple(unanswered))


async def remember_left(
    session: AsyncSession, activity_id: int, person_id: int, now: datetime
) -> None:
    """This volunteer left the activity: it is never called to them again."""
    insert = insert_for(session)(VolunteerCall).values(
        activity_id=activity_id, person_id=person_id, called_at=None, left_at=now
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["activity_id", "person_id"], set_={"left_at": now}
        )
    )


@dataclass(frozen=True)
class Called:
    """How many volunteers were called to an activity, and how many of them have a place."""

    called: int
    joined: int


async def called(session: AsyncSession, activity_id: int) -> Called:
    found = await session.execute(
        select(func.count(VolunteerCall.id), func.count(Participation.id))
        .select_from(VolunteerCall)
        .outerjoin(
            Participation,
            (Participation.activity_id == VolunteerCall.activity_id)
            & (Participation.person_id == VolunteerCall.person_id)
            & (Participation.status == ParticipationStatus.JOINED),
        )
        .where(VolunteerCall.activity_id == activity_id, VolunteerCall.called_at.is_not(None))
    )
    calls, joined = found.one()
    return Called(calls or 0, joined or 0)


# --- Calls for volunteers -------------------------------------------------------------------


async def short_soon(
    session: AsyncSession, *, now: datetime, until: datetime
) -> list[ActivityInfo]:
    """Published activities starting after `now` and by `until` with fewer volunteers than
    their minimum, soonest first."""
    found = await session.execute(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > now,
            Activity.starts_at <= until,
            Activity.volunteers_joined < Activity.min_volunteers,
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    return [to_info(activity) for activity in found.scalars()]


def callable_volunteers(
    activity: ActivityInfo, *, zone: ZoneInfo, now: datetime, limit: int
) -> Select[int, int, str | None] | None:
    """The volunteers a call for this activity reaches, chosen by the database: interests and
    free time match and not on it (storage.volunteers.audience), never called to it nor left
    it, and called fewer than `limit` times in the last seven days. None: nobody can match."""
    chosen = volunteers.audience(activity.id, activity.interest_id, activity.starts_at, zone=zone)
    if chosen is None:
        return None
    touched = exists().where(
        VolunteerCall.person_id == Person.id, VolunteerCall.activity_id == activity.id
    )
    this_week = (
        select(func.count(VolunteerCall.id))
        .where(VolunteerCall.person_id == Person.id, VolunteerCall.called_at > now - WEEK)
        .scalar_subquery()
    )
    return chosen.where(~touched, this_week < limit)


WEEK = timedelta(days=7)


async def record_calls(
    session: AsyncSession,
    chosen: Select[int, int, str | None],
    activity_id: int,
    now: datetime,
) -> int:
    """Remember that everyone `chosen` was called to this activity now, with one INSERT ...
    SELECT; returns how many."""
    rows = chosen.subquery()
    done = await session.execute(
        insert(VolunteerCall).from_select(
            ["activity_id", "person_id", "called_at"],
            select(literal(activity_id), rows.c.id, literal(now, UtcDateTime())),
        )
    )
    return done.rowcount or 0  # type: ignore[attr-defined]
