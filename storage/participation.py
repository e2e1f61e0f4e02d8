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

from kernel.paging import Page, Place
from kernel.texts import NAMES_SHOWN
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
)
from storage.volunteers import part_of_day

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
    # First names of the other volunteers who joined: the first NAMES_SHOWN of them.
    others_going: tuple[str, ...]
    my_status: str | None
    matches: bool
    # Below its minimum, and the coordinators decided it goes ahead anyway (storage.minimum):
    # the promise "you won't be alone" no longer holds, so the texts must not make it.
    going_ahead_short: bool = False
    # How many other volunteers joined in all; None when `others_going` names them all.
    others_count: int | None = None

    @property
    def company(self) -> int:
        """How many other volunteers are going."""
        return len(self.others_going) if self.others_count is None else self.others_count


# One page of the upcoming activities as a volunteer sees them.
ListingPage = Page[Listing]


def _matches(activity: ActivityInfo, person: Person, zone: ZoneInfo) -> bool:
    interests = {interest.id for interest in person.interests}
    if activity.interest_id not in interests or activity.starts_at is None:
        return False
    return _free_then(activity.starts_at, person, zone)


def _free_then(starts_at: datetime, person: Person, zone: ZoneInfo) -> bool:
    local = starts_at.astimezone(zone)
    return local.weekday() in (person.available_days or ()) and part_of_day(starts_at, zone) in (
        person.available_parts or ()
    )


def first_name(name: str | None) -> str:
    return (name or "").split(" ", 1)[0]


@dataclass(frozen=True)
class Going:
    """The volunteers going to one activity, as a list shows them: a few first names (in
    the order they joined) and how many in all."""

    names: tuple[str, ...]
    count: int


def _joined_and_consented(activity_ids: list[int], besides: int | None) -> list:
    found = [
        Participation.activity_id.in_(activity_ids),
        Participation.status == ParticipationStatus.JOINED,
        Person.consent_version.is_not(None),
    ]
    if besides is not None:
        found.append(Person.id != besides)
    return found


async def going(
    session: AsyncSession,
    activity_ids: list[int],
    *,
    besides: int | None = None,
    most: int = NAMES_SHOWN,
) -> dict[int, Going]:
    """Per activity: the joined volunteers who consented (but `besides`), counted by the
    database, with the first names of only the first `most` of them read."""
    if not activity_ids:
        return {}
    where = _joined_and_consented(activity_ids, besides)
    counted = await session.execute(
        select(Participation.activity_id, func.count())
        .join(Person, Person.id == Participation.person_id)
        .where(*where)
        .group_by(Participation.activity_id)
    )
    counts = {activity_id: count for activity_id, count in counted}
    ranked = (
        select(
            Participation.activity_id,
            Person.name,
            func.row_number()
            .over(partition_by=Participation.activity_id, order_by=Participation.id)
            .label("place"),
        )
        .join(Person, Person.id == Participation.person_id)
        .where(*where)
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.activity_id, ranked.c.name)
        .where(ranked.c.place <= most)
        .order_by(ranked.c.activity_id, ranked.c.place)
    )
    names: dict[int, list[str]] = {}
    for activity_id, name in rows:
        names.setdefault(activity_id, []).append(first_name(name))
    return {
        activity_id: Going(tuple(names.get(activity_id, ())), count)
        for activity_id, count in counts.items()
    }


async def _statuses(
    session: AsyncSession, person_id: int, activity_ids: list[int] | None = None
) -> dict[int, str]:
    query = select(Participation.activity_id, Participation.status).where(
        Participation.person_id == person_id
    )
    if activity_ids is not None:
        query = query.where(Participation.activity_id.in_(activity_ids))
    return {key: value for key, value in await session.execute(query)}


async def _as_seen_by(
    session: AsyncSession, person: Person, infos: list[ActivityInfo], zone: ZoneInfo
) -> list[Listing]:
    """These activities as this volunteer sees them: a few queries for all of them."""
    ids = [info.id for info in infos]
    company = await going(session, ids, besides=person.id)
    mine = await _statuses(session, person.id, ids)
    ahead = await minimum.going_ahead(session, [info.id for info in infos if info.is_short])
    nobody = Going((), 0)
    return [
        Listing(
            activity=info,
            others_going=company.get(info.id, nobody).names,
            my_status=mine.get(info.id),
            matches=_matches(info, person, zone),
            going_ahead_short=info.id in ahead,
            others_count=company.get(info.id, nobody).count,
        )
        for info in infos
    ]


def _upcoming(now: datetime) -> list:
    return [Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now]


async def _by_ids(session: AsyncSession, ids: list[int]) -> list[ActivityInfo]:
    """The activities with these ids, in this order."""
    found = await session.scalars(select(Activity).where(Activity.id.in_(ids)))
    by_id = {activity.id: to_info(activity) for activity in found}
    return [by_id[activity_id] for activity_id in ids if activity_id in by_id]


async def listings_page(
    session: AsyncSession, person_id: int, *, page: int, size: int, now: datetime, zone: ZoneInfo
) -> ListingPage:
    """One page of the upcoming activities for a volunteer: those matching their interests
    and free time first, each part soonest first. Only the page's activities are read whole.

    Matching needs the weekday and hour in the municipality's time zone, which SQLite cannot
    compute; so the database picks the activities of the volunteer's interests (id and start
    only), the free-time check runs on those, and the other activities are paged with
    OFFSET/LIMIT in the database.
    """
    person = await session.get(Person, person_id)
    count = await session.scalar(select(func.count()).select_from(Activity).where(*_upcoming(now)))
    if person is None or not count:
        return ListingPage.empty()
    place = Place.of(page, count=count, size=size)
    interests = [interest.id for interest in person.interests]
    candidates = await session.execute(
        select(Activity.id, Activity.starts_at)
        .where(*_upcoming(now), Activity.interest_id.in_(interests))
        .order_by(Activity.starts_at, Activity.id)
    )
    matching = [
        activity_id
        for activity_id, starts_at in candidates
        if starts_at is not None and _free_then(starts_at, person, zone)
    ]
    offset = place.offset
    shown = matching[offset : offset + size]
    if len(shown) < size:
        rest = await session.scalars(
            select(Activity.id)
            .where(*_upcoming(now), Activity.id.not_in(matching))
            .order_by(Activity.starts_at, Activity.id)
            .offset(max(0, offset - len(matching)))
            .limit(size - len(shown))
        )
        shown += list(rest)
    infos = await _by_ids(session, shown)
    listings = await _as_seen_by(session, person, infos, zone)
    return ListingPage(listings, count, place.page, place.pages)


async def listings(
    session: AsyncSession, person_id: int, *, now: datetime, zone: ZoneInfo
) -> list[Listing]:
    """Every upcoming activity for a volunteer, matches first (one page as large as all)."""
    found = await listings_page(session, person_id, page=1, size=1_000_000, now=now, zone=zone)
    return found.items


async def listing(
    session: AsyncSession, activity_id: int, person_id: int, *, zone: ZoneInfo
) -> Listing | None:
    """One activity as this volunteer sees it, whatever its state."""
    activity = await session.get(Activity, activity_id, populate_existing=True)
    person = await session.get(Person, person_id)
    if activity is None or person is None:
        return None
    [found] = await _as_seen_by(session, person, [to_info(activity)], zone)
    return found


async def my_activities(
    session: AsyncSession, person_id: int, *, now: datetime, zone: ZoneInfo
) -> list[Listing]:
    """What this volunteer joined or waits for, still ahead, soonest first."""
    person = await session.get(Person, person_id)
    if person is None:
        return []
    found = await session.scalars(
        select(Activity)
        .join(Participation, Participation.activity_id == Activity.id)
        .where(Participation.person_id == person_id, *_upcoming(now))
        .order_by(Activity.starts_at, Activity.id)
    )
    mine = await _as_seen_by(session, person, [to_info(a) for a in found], zone)
    # Of two at the same time, the one that matches first (as the whole list shows them).
    return sorted(mine, key=lambda entry: (entry.activity.starts_at or now, not entry.matches))


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
