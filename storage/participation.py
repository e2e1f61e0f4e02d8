"""Volunteers joining and leaving activities, and the waiting list.

Capacity holds under concurrency because a seat is taken by one conditional UPDATE
(`... WHERE volunteers_joined < max_volunteers`), never by reading and then writing: SQLite
ignores SELECT ... FOR UPDATE, and two readers would both see the last free place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import minimum
from storage.activities import ActivityInfo, Attendee, to_info
from storage.engine import SessionFactory
from storage.models import (
    Activity,
    ActivityStatus,
    LateDeparture,
    Participation,
    ParticipationStatus,
    Person,
    Role,
)

LATE_NOTICE = timedelta(hours=24)


class Outcome(enum.Enum):
    JOINED = "joined"
    WAITING = "waiting"
    FULL = "full"
    ALREADY_JOINED = "already_joined"
    ALREADY_WAITING = "already_waiting"
    GONE = "gone"  # cancelled, unpublished or deleted
    STARTED = "started"  # in the past or under way


@dataclass(frozen=True)
class Departure:
    """What leaving changed: who moved up from the waiting list, and whether it hurts."""

    left: bool
    was_joined: bool
    late: bool
    activity: ActivityInfo | None
    moved_up: Attendee | None


def _bookable(activity_id: int, now: datetime) -> list:
    return [
        Activity.id == activity_id,
        Activity.status == ActivityStatus.PUBLISHED,
        Activity.starts_at > now,
    ]


async def _why_not(session: AsyncSession, activity_id: int, now: datetime) -> Outcome:
    activity = await session.get(Activity, activity_id, populate_existing=True)
    if activity is None or activity.status != ActivityStatus.PUBLISHED:
        return Outcome.GONE
    if activity.starts_at is None or activity.starts_at <= now:
        return Outcome.STARTED
    return Outcome.FULL


async def _existing(session: AsyncSession, activity_id: int, person_id: int) -> str | None:
    return await session.scalar(
        select(Participation.status).where(
            Participation.activity_id == activity_id, Participation.person_id == person_id
        )
    )


async def _take_seat(session: AsyncSession, activity_id: int, now: datetime) -> bool:
    """One conditional statement: the database decides who gets the last place."""
    result = await session.execute(
        update(Activity)
        .where(
            *_bookable(activity_id, now),
            Activity.volunteers_joined < Activity.max_volunteers,
        )
        .values(volunteers_joined=Activity.volunteers_joined + 1)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def _join(session: AsyncSession, activity_id: int, person_id: int, now: datetime) -> Outcome:
    existing = await _existing(session, activity_id, person_id)
    if existing == ParticipationStatus.JOINED:
        return Outcome.ALREADY_JOINED
    if not await _take_seat(session, activity_id, now):
        reason = await _why_not(session, activity_id, now)
        if existing == ParticipationStatus.WAITING and reason is Outcome.FULL:
            return Outcome.ALREADY_WAITING
        return reason
    if existing == ParticipationStatus.WAITING:
        await session.execute(
            update(Participation)
            .where(Participation.activity_id == activity_id, Participation.person_id == person_id)
            .values(status=ParticipationStatus.JOINED)
        )
    else:
        session.add(
            Participation(
                activity_id=activity_id,
                person_id=person_id,
                status=ParticipationStatus.JOINED,
                created_at=now,
            )
        )
        await session.flush()
    return Outcome.JOINED


async def take_place(
    session: AsyncSession, activity_id: int, person_id: int, *, now: datetime
) -> Outcome:
    """Take a volunteer place if one is free, in the caller's transaction.

    IntegrityError when the same person pressed twice at once: the caller rolls back, and
    the other press holds the place.
    """
    return await _join(session, activity_id, person_id, now)


async def take_place_or_wait(
    session: AsyncSession, activity_id: int, person_id: int, *, now: datetime
) -> Outcome:
    """Join the waiting list, or the activity itself if a place freed up meanwhile (in the
    caller's transaction; IntegrityError as for `take_place`)."""
    joined = await _join(session, activity_id, person_id, now)
    if joined is not Outcome.FULL:
        return joined
    session.add(
        Participation(
            activity_id=activity_id,
            person_id=person_id,
            status=ParticipationStatus.WAITING,
            created_at=now,
        )
    )
    await session.flush()
    return Outcome.WAITING


class Take(Protocol):
    """`take_place` or `take_place_or_wait`."""

    async def __call__(
        self, session: AsyncSession, activity_id: int, person_id: int, *, now: datetime
    ) -> Outcome: ...


async def join(
    sessions: SessionFactory, activity_id: int, person_id: int, *, now: datetime
) -> Outcome:
    """`take_place` in a transaction of its own (seeding, storage tests, benchmarks)."""
    return await _alone(sessions, take_place, activity_id, person_id, now, Outcome.ALREADY_JOINED)


async def wait(
    sessions: SessionFactory, activity_id: int, person_id: int, *, now: datetime
) -> Outcome:
    """`take_place_or_wait` in a transaction of its own (seeding, storage tests, benchmarks)."""
    return await _alone(
        sessions, take_place_or_wait, activity_id, person_id, now, Outcome.ALREADY_WAITING
    )


async def _alone(
    sessions: SessionFactory,
    take: Take,
    activity_id: int,
    person_id: int,
    now: datetime,
    pressed_twice: Outcome,
) -> Outcome:
    try:
        async with sessions.begin() as session:
            return await take(session, activity_id, person_id, now=now)
    except IntegrityError:
        return pressed_twice


async def _give_back_seat(session: AsyncSession, activity_id: int) -> None:
    await session.execute(
        update(Activity)
        .where(Activity.id == activity_id, Activity.volunteers_joined > 0)
        .values(volunteers_joined=Activity.volunteers_joined - 1)
    )


async def _move_up_first_waiting(
    session: AsyncSession, activity_id: int, now: datetime
) -> Attendee | None:
    """Give a freed place to whoever has waited longest, if the activity is still ahead."""
    while True:
        first = (
            await session.execute(
                select(Participation.id, Person.telegram_id, Person.language)
                .join(Person, Person.id == Participation.person_id)
                .where(
                    Participation.activity_id == activity_id,
                    Participation.status == ParticipationStatus.WAITING,
                )
                .order_by(Participation.id)
                .limit(1)
            )
        ).first()
        if first is None or not await _take_seat(session, activity_id, now):
            return None
        participation_id, telegram_id, language = first
        promoted = await session.execute(
            update(Participation)
            .where(
                Participation.id == participation_id,
                Participation.status == ParticipationStatus.WAITING,
            )
            .values(status=ParticipationStatus.JOINED)
        )
        if promoted.rowcount == 1:  # type: ignore[attr-defined]
            return Attendee(telegram_id, language, ParticipationStatus.JOINED)
        # Someone else moved this person up (or they left) at the same moment: try the next.
        await _give_back_seat(session, activity_id)


async def fill_from_waiting_list(
    session: AsyncSession, activity_id: int, *, now: datetime
) -> list[Attendee]:
    """Give every free place to whoever has waited longest, e.g. after the maximum was
    raised; returns who moved up, in order."""
    moved_up = []
    while (attendee := await _move_up_first_waiting(session, activity_id, now)) is not None:
        moved_up.append(attendee)
    return moved_up


async def leave(
    session: AsyncSession, activity_id: int, person_id: int, *, now: datetime
) -> Departure:
    """Leave an activity or its waiting list; a freed place goes to the first waiting."""
    removed = await session.execute(
        delete(Participation)
        .where(Participation.activity_id == activity_id, Participation.person_id == person_id)
        .returning(Participation.status)
    )
    status = removed.scalar_one_or_none()
    if status is None:
        activity = await session.get(Activity, activity_id, populate_existing=True)
        return Departure(False, False, False, to_info(activity) if activity else None, None)
    moved_up = None
    late = False
    if status == ParticipationStatus.JOINED:
        await _give_back_seat(session, activity_id)
        moved_up = await _move_up_first_waiting(session, activity_id, now)
    activity = await session.get(Activity, activity_id, populate_existing=True)
    assert activity is not None
    if (
        status == ParticipationStatus.JOINED
        and activity.starts_at is not None
        and now < activity.starts_at <= now + LATE_NOTICE
    ):
        late = True
        session.add(LateDeparture(activity_id=activity_id, person_id=person_id, left_at=now))
    await session.flush()
    return Departure(True, status == ParticipationStatus.JOINED, late, to_info(activity), moved_up)


async def record_late_reason(
    session: AsyncSession, person_id: int, reason: str | None
) -> ActivityInfo | None:
    """Attach the reason (or none) to this person's latest late departure awaiting one."""
    departure = await session.scalar(
        select(LateDeparture)
        .where(LateDeparture.person_id == person_id, LateDeparture.reason_pending.is_(True))
        .order_by(LateDeparture.id.desc())
        .limit(1)
    )
    if departure is None:
        return None
    departure.reason = reason
    departure.reason_pending = False
    await session.execute(
        update(LateDeparture)
        .where(LateDeparture.person_id == person_id, LateDeparture.id != departure.id)
        .values(reason_pending=False)
    )
    activity = await session.get(Activity, departure.activity_id)
    return to_info(activity) if activity else None


# --- Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """An activity as one volunteer sees it: who else is going, and where they stand."""

    activity: ActivityInfo
    others_going: tuple[str, ...]  # first names of the other volunteers who joined
    my_status: str | None
    matches: bool
    # Below its minimum, and the coordinators decided it goes ahead anyway (storage.minimum):
    # the promise "you won't be alone" no longer holds, so the texts must not make it.
    going_ahead_short: bool = False


def part_of_day(moment: datetime, zone: ZoneInfo) -> str:
    hour = moment.astimezone(zone).hour
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


async def matching_volunteers(
    session: AsyncSession, activity: ActivityInfo, *, zone: ZoneInfo
) -> list[Attendee]:
    """Active volunteers whose interests and free time match the activity, not yet on it."""
    on_it = select(Participation.person_id).where(Participation.activity_id == activity.id)
    found = await session.execute(
        select(Person).where(
            Person.role == Role.VOLUNTEER,
            Person.consent_version.is_not(None),
            Person.signup_completed_at.is_not(None),
            Person.id.not_in(on_it),
        )
    )
    return [
        Attendee(person.telegram_id, person.language, "matching")
        for person in found.scalars()
        if _matches(activity, person, zone)
    ]


def _matches(activity: ActivityInfo, person: Person, zone: ZoneInfo) -> bool:
    interests = {interest.id for interest in person.interests}
    if activity.interest_id not in interests or activity.starts_at is None:
        return False
    local = activity.starts_at.astimezone(zone)
    return local.weekday() in (person.available_days or ()) and part_of_day(
        activity.starts_at, zone
    ) in (person.available_parts or ())


def first_name(name: str | None) -> str:
    return (name or "").split(" ", 1)[0]


async def volunteers_going(
    session: AsyncSession, activity_ids: list[int]
) -> dict[int, list[tuple[int, str]]]:
    """Per activity: (person id, first name) of joined volunteers who consented."""
    rows = await session.execute(
        select(Participation.activity_id, Person.id, Person.name)
        .join(Person, Person.id == Participation.person_id)
        .where(
            Participation.activity_id.in_(activity_ids),
            Participation.status == ParticipationStatus.JOINED,
            Person.consent_version.is_not(None),
        )
        .order_by(Participation.id)
    )
    going: dict[int, list[tuple[int, str]]] = {}
    for activity_id, person_id, name in rows:
        going.setdefault(activity_id, []).append((person_id, first_name(name)))
    return going


async def _statuses(session: AsyncSession, person_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(Participation.activity_id, Participation.status).where(
            Participation.person_id == person_id
        )
    )
    return {key: value for key, value in rows}


async def listings(
    session: AsyncSession, person_id: int, *, now: datetime, zone: ZoneInfo
) -> list[Listing]:
    """Upcoming activities for a volunteer: those matching interests and availability first."""
    person = await session.get(Person, person_id)
    if person is None:
        return []
    activities = (
        await session.execute(
            select(Activity)
            .where(Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now)
            .order_by(Activity.starts_at, Activity.id)
        )
    ).scalars()
    infos = [to_info(activity) for activity in activities]
    going = await volunteers_going(session, [info.id for info in infos])
    mine = await _statuses(session, person_id)
    ahead = await minimum.going_ahead(session, [info.id for info in infos if info.is_short])
    found = [
        Listing(
            activity=info,
            others_going=tuple(name for pid, name in going.get(info.id, []) if pid != person_id),
            my_status=mine.get(info.id),
            matches=_matches(info, person, zone),
            going_ahead_short=info.id in ahead,
        )
        for info in infos
    ]
    return sorted(found, key=lambda listing: not listing.matches)


async def listing(
    session: AsyncSession, activity_id: int, person_id: int, *, zone: ZoneInfo
) -> Listing | None:
    """One activity as this volunteer sees it, whatever its state."""
    activity = await session.get(Activity, activity_id, populate_existing=True)
    person = await session.get(Person, person_id)
    if activity is None or person is None:
        return None
    info = to_info(activity)
    going = (await volunteers_going(session, [activity_id])).get(activity_id, [])
    ahead = await minimum.going_ahead(session, [activity_id] if info.is_short else [])
    return Listing(
        activity=info,
        others_going=tuple(name for pid, name in going if pid != person_id),
        my_status=(await _statuses(session, person_id)).get(activity_id),
        matches=_matches(info, person, zone),
        going_ahead_short=activity_id in ahead,
    )


async def my_activities(
    session: AsyncSession, person_id: int, *, now: datetime, zone: ZoneInfo
) -> list[Listing]:
    """What this volunteer joined or waits for, still ahead, soonest first."""
    every = await listings(session, person_id, now=now, zone=zone)
    mine = [entry for entry in every if entry.my_status is not None]
    return sorted(mine, key=lambda entry: entry.activity.starts_at or now)


# An activity without a duration is taken to last this long when looking for clashes.
ASSUMED_DURATION = timedelta(hours=2)


def _span(activity: ActivityInfo) -> tuple[datetime, datetime] | None:
    if activity.starts_at is None:
        return None
    return activity.starts_at, activity.ends_at or activity.starts_at + ASSUMED_DURATION


async def clashing(session: AsyncSession, activity_id: int, person_id: int) -> ActivityInfo | None:
    """Another published activity this volunteer joined that overlaps this one in time."""
    target = await session.get(Activity, activity_id)
    span = _span(to_info(target)) if target is not None else None
    if span is None:
        return None
    start, end = span
    found = await session.execute(
        select(Activity)
        .join(Participation, Participation.activity_id == Activity.id)
        .where(
            Participation.person_id == person_id,
            Participation.status == ParticipationStatus.JOINED,
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.id != activity_id,
            # No activity lasts more than a day, so this window holds every candidate.
            Activity.starts_at > start - timedelta(days=1),
            Activity.starts_at < end,
        )
        .order_by(Activity.starts_at)
    )
    for other in (to_info(activity) for activity in found.scalars()):
        other_span = _span(other)
        if other_span is not None and other_span[0] < end and start < other_span[1]:
            return other
    return None


@dataclass(frozen=True)
class Participant:
    """A volunteer on an activity, as coordinators see them."""

    name: str
    phone: str | None
    status: str


async def participants(session: AsyncSession, activity_id: int) -> list[Participant]:
    rows = await session.execute(
        select(Person.name, Person.phone, Participation.status)
        .join(Participation, Participation.person_id == Person.id)
        .where(Participation.activity_id == activity_id)
        .order_by(Participation.id)
    )
    return [Participant(name or "", phone, status) for name, phone, status in rows]


async def counts(session: AsyncSession, activity_id: int) -> dict[str, int]:
    """How many joined and wait, counted from the rows (checks the counter in tests)."""
    rows = await session.execute(
        select(Participation.status, func.count())
        .where(Participation.activity_id == activity_id)
        .group_by(Participation.status)
    )
    return {key: value for key, value in rows}
