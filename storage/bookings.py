"""Support persons booking citizens into activities, and cancelling again.

A place is taken by one conditional UPDATE (`... WHERE citizens_booked < citizen_seats`), so
two support persons pressing for the last place at once cannot both get it.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, case, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.paging import Page, Place
from storage import minimum, participation
from storage.activities import ActivityInfo, to_info
from storage.engine import SessionFactory
from storage.models import (
    Activity,
    ActivityStatus,
    Booking,
    Citizen,
    CitizenKeeper,
    CitizenNeeds,
    Participation,
    ParticipationStatus,
    Person,
)


def _kept_by(person_id: int) -> ColumnElement[bool]:
    """Citizens this support person looks after, alone or shared with a colleague."""
    return Citizen.id.in_(
        select(CitizenKeeper.citizen_id).where(CitizenKeeper.person_id == person_id)
    )


class BookingOutcome(enum.Enum):
    BOOKED = "booked"
    ALREADY_BOOKED = "already_booked"
    FULL = "full"
    GONE = "gone"  # cancelled or deleted
    STARTED = "started"
    NO_SUCH_CITIZEN = "no_such_citizen"


@dataclass(frozen=True)
class BookableActivity:
    """An upcoming activity as a support person sees it: places for citizens, and company."""

    activity: ActivityInfo
    volunteers_going: tuple[str, ...]  # the first NAMES_SHOWN first names
    booked_here: tuple[str, ...]  # this support person's citizens already booked
    # Below its minimum of volunteers, and the coordinators decided it goes ahead anyway.
    going_ahead_short: bool = False
    # How many volunteers go in all; None when `volunteers_going` names them all.
    volunteers_count: int | None = None

    @property
    def free_places(self) -> int:
        return max((self.activity.citizen_seats or 0) - self.activity.citizens_booked, 0)

    @property
    def company(self) -> int:
        """How many volunteers are going."""
        if self.volunteers_count is None:
            return len(self.volunteers_going)
        return self.volunteers_count


# One page of the activities that take citizens.
BookablePage = Page[BookableActivity]


@dataclass(frozen=True)
class BookedCitizen:
    """A citizen on an activity, as coordinators see them: whom to call is the support person."""

    first_name: str
    support_person_name: str
    support_person_phone: str | None
    organisation: str | None
    # Needs on the day (catalogue slugs) and the note: coordinators plan with them.
    needs: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class SupportContact:
    """A support person to be told about an activity, with their citizens booked into it."""

    person_id: int
    telegram_id: int
    language: str | None
    citizens: tuple[str, ...]


async def _booked_by_support_person(
    session: AsyncSession, activity_ids: list[int], support_person_id: int
) -> dict[int, list[str]]:
    rows = await session.execute(
        select(Booking.activity_id, Citizen.first_name)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(
            Booking.activity_id.in_(activity_ids),
            _kept_by(support_person_id),
        )
        .order_by(Booking.id)
    )
    booked: dict[int, list[str]] = {}
    for activity_id, name in rows:
        booked.setdefault(activity_id, []).append(name)
    return booked


def _takes_citizens(now: datetime) -> list[ColumnElement[bool]]:
    return [
        Activity.status == ActivityStatus.PUBLISHED,
        Activity.starts_at > now,
        Activity.citizen_seats > 0,
    ]


async def _as_seen_by(
    session: AsyncSession, activities: list[Activity], support_person_id: int
) -> list[BookableActivity]:
    infos = [to_info(activity) for activity in activities]
    ids = [info.id for info in infos]
    going = await participation.going(session, ids)
    mine = await _booked_by_support_person(session, ids, support_person_id)
    ahead = await minimum.going_ahead(session, [info.id for info in infos if info.is_short])
    nobody = participation.Going((), 0)
    return [
        BookableActivity(
            info,
            going.get(info.id, nobody).names,
            tuple(mine.get(info.id, [])),
            going_ahead_short=info.id in ahead,
            volunteers_count=going.get(info.id, nobody).count,
        )
        for info in infos
    ]


async def bookable_page(
    session: AsyncSession,
    support_person_id: int,
    *,
    page: int,
    size: int,
    now: datetime,
    wanted: Sequence[str] = (),
) -> BookablePage:
    """One page of the upcoming published activities that take citizens: those offering
    more of `wanted` (what the support person's citizens need, kernel.needs) first, otherwise
    soonest first; counted, ordered and paged by the database, only the page's activities
    read."""
    count = await session.scalar(
        select(func.count()).select_from(Activity).where(*_takes_citizens(now))
    )
    if not count:
        return BookablePage.empty()
    place = Place.of(page, count=count, size=size)
    result = await session.scalars(
        select(Activity)
        .where(*_takes_citizens(now))
        .order_by(*_lacking(wanted), Activity.starts_at, Activity.id)
        .offset(place.offset)
        .limit(size)
    )
    entries = await _as_seen_by(session, list(result), support_person_id)
    return BookablePage(entries, count, place.page, place.pages)


def _lacking(wanted: Sequence[str]) -> list[ColumnElement[int]]:
    """How many of `wanted` an activity's accessibility notes lack, as an ORDER BY term. The
    notes are a JSON list of codes; its text holds each code in quotes on both databases."""
    if not wanted:
        return []
    notes = cast(Activity.accessibility, String)
    lacks = [case((notes.like(f'%"{offer}"%'), 0), else_=1) for offer in wanted]
    return [functools.reduce(operator.add, lacks)]


async def bookable(
    session: AsyncSession, support_person_id: int, *, now: datetime
) -> list[BookableActivity]:
    """Upcoming published activities that take citizens, soonest first."""
    result = await session.scalars(
        select(Activity).where(*_takes_citizens(now)).order_by(Activity.starts_at, Activity.id)
    )
    return await _as_seen_by(session, list(result), support_person_id)


async def one_bookable(
    session: AsyncSession, activity_id: int, support_person_id: int
) -> BookableActivity | None:
    """One activity as the support person sees it, whatever its state now."""
    activity = await session.get(Activity, activity_id, populate_existing=True)
    if activity is None:
        return None
    [entry] = await _as_seen_by(session, [activity], support_person_id)
    return entry


async def _why_not(session: AsyncSession, activity_id: int, now: datetime) -> BookingOutcome:
    activity = await session.get(Activity, activity_id, populate_existing=True)
    if activity is None or activity.status != ActivityStatus.PUBLISHED:
        return BookingOutcome.GONE
    if activity.starts_at is None or activity.starts_at <= now:
        return BookingOutcome.STARTED
    return BookingOutcome.FULL


async def book_in(
    session: AsyncSession,
    activity_id: int,
    citizen_id: int,
    *,
    support_person_id: int,
    now: datetime,
) -> BookingOutcome:
    """Book a citizen of this support person into an activity, inside the caller's
    transaction. Two presses at once make the flush raise IntegrityError: the caller rolls
    back and answers ALREADY_BOOKED."""
    keeper = await session.get(CitizenKeeper, (citizen_id, support_person_id))
    if keeper is None:
        return BookingOutcome.NO_SUCH_CITIZEN
    already = await session.scalar(
        select(Booking.id).where(
            Booking.activity_id == activity_id, Booking.citizen_id == citizen_id
        )
    )
    if already is not None:
        return BookingOutcome.ALREADY_BOOKED
    taken = await session.execute(
        update(Activity)
        .where(
            Activity.id == activity_id,
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > now,
            Activity.citizens_booked < Activity.citizen_seats,
        )
        .values(citizens_booked=Activity.citizens_booked + 1)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return await _why_not(session, activity_id, now)
    session.add(
        Booking(
            activity_id=activity_id,
            citizen_id=citizen_id,
            booked_by=support_person_id,
            created_at=now,
        )
    )
    await session.flush()
    return BookingOutcome.BOOKED


async def book(
    sessions: SessionFactory,
    activity_id: int,
    citizen_id: int,
    *,
    support_person_id: int,
    now: datetime,
) -> BookingOutcome:
    """Book a citizen of this support person into an activity, in a transaction of its own."""
    try:
        async with sessions.begin() as session:
            return await book_in(
                session, activity_id, citizen_id, support_person_id=support_person_id, now=now
            )
    except IntegrityError:
        # The same booking pressed twice at once: the other press holds the place, and this
        # transaction (its counter included) was rolled back.
        return BookingOutcome.ALREADY_BOOKED


async def _give_back_place(session: AsyncSession, activity_id: int) -> None:
    await session.execute(
        update(Activity)
        .where(Activity.id == activity_id, Activity.citizens_booked > 0)
        .values(citizens_booked=Activity.citizens_booked - 1)
    )


async def cancel(
    session: AsyncSession, activity_id: int, citizen_id: int, *, support_person_id: int
) -> bool:
    """Cancel one booking of this support person's citizen; False if there was none."""
    booking = await session.scalar(
        select(Booking)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(
            Booking.activity_id == activity_id,
            Booking.citizen_id == citizen_id,
            _kept_by(support_person_id),
        )
    )
    if booking is None:
        return False
    await session.delete(booking)
    await session.flush()
    await _give_back_place(session, activity_id)
    return True


async def cancel_all_of(
    session: AsyncSession, citizen_id: int, *, now: datetime | None = None
) -> None:
    """Every booking of a citizen goes, and each activity gets its place back. Given `now`,
    an activity already started keeps its count: how many citizens took part stays, without
    saying who."""
    rows = await session.execute(
        select(Booking, Activity.starts_at)
        .join(Activity, Activity.id == Booking.activity_id)
        .where(Booking.citizen_id == citizen_id)
    )
    for booking, starts_at in list(rows.all()):
        activity_id = booking.activity_id
        await session.delete(booking)
        await session.flush()
        if now is None or starts_at is None or starts_at > now:
            await _give_back_place(session, activity_id)


@dataclass(frozen=True)
class UpcomingBooking:
    activity: ActivityInfo
    citizen_id: int
    citizen_name: str


async def upcoming_of(
    session: AsyncSession, support_person_id: int, *, now: datetime
) -> list[UpcomingBooking]:
    """A support person's bookings still ahead (cancelled activities included, so they see
    the cancellation), soonest first."""
    rows = await session.execute(
        select(Activity, Citizen.id, Citizen.first_name)
        .join(Booking, Booking.activity_id == Activity.id)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(_kept_by(support_person_id), Activity.starts_at > now)
        .order_by(Activity.starts_at, Activity.id, Citizen.id)
    )
    return [UpcomingBooking(to_info(activity), cid, name) for activity, cid, name in rows]


async def booked_citizens(session: AsyncSession, activity_id: int) -> list[BookedCitizen]:
    """Who is booked into an activity, with the support person to contact."""
    rows = await session.execute(
        select(
            Citizen.first_name,
            Person.name,
            Person.phone,
            Person.organisation,
            CitizenNeeds.needs,
            CitizenNeeds.note,
        )
        .join(Booking, Booking.citizen_id == Citizen.id)
        .join(Person, Person.id == Citizen.support_person_id)
        .outerjoin(CitizenNeeds, CitizenNeeds.citizen_id == Citizen.id)
        .where(Booking.activity_id == activity_id)
        .order_by(Booking.id)
    )
    return [
        BookedCitizen(citizen, name or "", phone, organisation, tuple(needs or ()), note)
        for citizen, name, phone, organisation, needs, note in rows
    ]


@dataclass(frozen=True)
class CitizenOnTheDay:
    """A booked citizen as the volunteers going see them: a first name and needs, no more."""

    first_name: str
    needs: tuple[str, ...]
    note: str | None


async def on_the_day(session: AsyncSession, activity_id: int) -> list[CitizenOnTheDay]:
    """The citizens booked into an activity with their needs, for its volunteers."""
    rows = await session.execute(
        select(Citizen.first_name, CitizenNeeds.needs, CitizenNeeds.note)
        .join(Booking, Booking.citizen_id == Citizen.id)
        .outerjoin(CitizenNeeds, CitizenNeeds.citizen_id == Citizen.id)
        .where(Booking.activity_id == activity_id)
        .order_by(Booking.id)
    )
    return [CitizenOnTheDay(name, tuple(needs or ()), note) for name, needs, note in rows]


async def support_contacts(session: AsyncSession, activity_id: int) -> list[SupportContact]:
    """Support persons with citizens booked into an activity, e.g. to tell of a cancellation."""
    rows = await session.execute(
        select(Person.id, Person.telegram_id, Person.language, Citizen.first_name)
        # Every keeper of a shared citizen is told, not only the one who added them.
        .join(CitizenKeeper, CitizenKeeper.person_id == Person.id)
        .join(Citizen, Citizen.id == CitizenKeeper.citizen_id)
        .join(Booking, Booking.citizen_id == Citizen.id)
        .where(Booking.activity_id == activity_id)
        .order_by(Person.id, Booking.id)
    )
    contacts: dict[int, SupportContact] = {}
    for person_id, telegram_id, language, citizen in rows:
        known = contacts.get(person_id)
        names = (known.citizens if known else ()) + (citizen,)
        contacts[person_id] = SupportContact(person_id, telegram_id, language, names)
    return list(contacts.values())


async def export_of(session: AsyncSession, citizen_id: int) -> list[dict[str, object]]:
    """A citizen's bookings as plain data, for the support person's /mydata."""
    rows = await session.execute(
        select(Activity.title, Activity.starts_at, Activity.status, Booking.created_at)
        .join(Booking, Booking.activity_id == Activity.id)
        .where(Booking.citizen_id == citizen_id)
        .order_by(Activity.starts_at)
    )
    return [
        {
            "activity": title,
            "starts_at": starts.isoformat() if starts else None,
            "activity_status": status,
            "booked_at": booked.isoformat(),
        }
        for title, starts, status, booked in rows
    ]


async def is_joined(session: AsyncSession, activity_id: int, person_id: int) -> bool:
    """Whether this person is joined to the activity now (waiting is not joined)."""
    found = await session.scalar(
        select(Participation.id).where(
            Participation.activity_id == activity_id,
            Participation.person_id == person_id,
            Participation.status == ParticipationStatus.JOINED,
        )
    )
    return found is not None
