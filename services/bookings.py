"""What support persons do with activities: find those that take citizens, book their
citizens in, see their bookings, and cancel them.

Each action is one unit of work. A button names the activity as it was when shown (its
version): a booking is only made if the activity is still as the support person saw it.
Booking and cancelling tell no one else today; a notice they should cause belongs here,
written with services.notices inside the same unit of work.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from kernel.context import Runtime
from kernel.needs import wanted_offers
from kernel.people import PersonInfo
from services.unit_of_work import unit_of_work
from storage import bookings, citizens
from storage.activities import ActivityInfo
from storage.bookings import BookableActivity, BookablePage, BookingOutcome, UpcomingBooking
from storage.citizens import CitizenInfo

__all__ = [
    "ActivityInfo",
    "AsShown",
    "BookableActivity",
    "BookablePage",
    "Booked",
    "Booking",
    "BookingOutcome",
    "CitizenInfo",
    "State",
    "UpcomingBooking",
    "as_shown",
    "book",
    "bookable",
    "bookable_page",
    "booking",
    "cancel",
    "upcoming",
]


class State(enum.Enum):
    """An activity compared with how a button showed it."""

    OPEN = "open"
    GONE = "gone"
    STARTED = "started"
    CHANGED = "changed"


@dataclass(frozen=True)
class AsShown:
    """The state of an activity against a button, and the activity as it is now."""

    state: State
    entry: BookableActivity | None


@dataclass(frozen=True)
class Booked:
    """What a booking came to. `outcome` is None when the activity was not as shown (see
    `shown`); when BOOKED, `citizen` and `after` (the activity with the booking) are set."""

    shown: AsShown
    outcome: BookingOutcome | None = None
    citizen: CitizenInfo | None = None
    after: BookableActivity | None = None


@dataclass(frozen=True)
class Booking:
    """One booking of a support person's citizen, and the activity as it is now."""

    citizen: CitizenInfo
    entry: BookableActivity


def _state(entry: BookableActivity | None, version: int | None, now: datetime) -> State:
    if entry is None or not entry.activity.is_published:
        return State.GONE
    if entry.activity.starts_at is None or entry.activity.starts_at <= now:
        return State.STARTED
    if version is not None and version != entry.activity.version:
        return State.CHANGED
    return State.OPEN


async def bookable(runtime: Runtime, person: PersonInfo) -> list[BookableActivity]:
    """Upcoming published activities that take citizens, soonest first, as this support
    person sees them (who goes, whom they booked)."""
    async with unit_of_work(runtime) as session:
        return await bookings.bookable(session, person.id, now=runtime.clock.now())


async def bookable_page(runtime: Runtime, person: PersonInfo, page: int, size: int) -> BookablePage:
    """One page of `bookable`, counted and paged by the database: those that offer what this
    support person's citizens need first (issue 14), otherwise soonest first."""
    async with unit_of_work(runtime) as session:
        kept = await citizens.citizens_of(session, person.id)
        wanted = wanted_offers(tuple(need for citizen in kept for need in citizen.needs))
        return await bookings.bookable_page(
            session, person.id, page=page, size=size, now=runtime.clock.now(), wanted=wanted
        )


async def as_shown(
    runtime: Runtime, activity_id: int, version: int | None, person: PersonInfo
) -> AsShown:
    """The activity a button names, and whether it can still be booked as it was shown
    (`version` None: any version)."""
    async with unit_of_work(runtime) as session:
        entry = await bookings.one_bookable(session, activity_id, person.id)
    return AsShown(_state(entry, version, runtime.clock.now()), entry)


async def book(
    runtime: Runtime, activity_id: int, version: int, citizen_id: int, person: PersonInfo
) -> Booked:
    """Book a citizen of this support person into an activity, if it is still as shown and a
    place is free."""
    now = runtime.clock.now()
    try:
        async with unit_of_work(runtime) as session:
            entry = await bookings.one_bookable(session, activity_id, person.id)
            shown = AsShown(_state(entry, version, now), entry)
            if shown.state is not State.OPEN:
                return Booked(shown)
            outcome = await bookings.book_in(
                session, activity_id, citizen_id, support_person_id=person.id, now=now
            )
            if outcome is not BookingOutcome.BOOKED:
                return Booked(shown, outcome)
            citizen = await citizens.find(session, citizen_id, person.id)
            after = await bookings.one_bookable(session, activity_id, person.id)
            return Booked(shown, outcome, citizen, after)
    except IntegrityError:
        # The same booking pressed twice at once: the other press holds the place, and this
        # unit of work (its counter included) was rolled back.
        return Booked(AsShown(State.OPEN, None), BookingOutcome.ALREADY_BOOKED)


async def upcoming(runtime: Runtime, person: PersonInfo) -> list[UpcomingBooking]:
    """This support person's bookings still ahead (cancelled activities included, so they see
    the cancellation), soonest first."""
    async with unit_of_work(runtime) as session:
        return await bookings.upcoming_of(session, person.id, now=runtime.clock.now())


async def booking(
    runtime: Runtime, activity_id: int, citizen_id: int, person: PersonInfo
) -> Booking | None:
    """This support person's citizen's booking into an activity; None when there is none."""
    async with unit_of_work(runtime) as session:
        citizen = await citizens.find(session, citizen_id, person.id)
        entry = await bookings.one_bookable(session, activity_id, person.id)
    if citizen is None or entry is None or citizen.first_name not in entry.booked_here:
        return None
    return Booking(citizen, entry)


async def cancel(
    runtime: Runtime, activity_id: int, citizen_id: int, person: PersonInfo
) -> CitizenInfo | None:
    """Cancel a booking of this support person's citizen, giving the place back; the citizen,
    or None when there was no such booking."""
    async with unit_of_work(runtime) as session:
        citizen = await citizens.find(session, citizen_id, person.id)
        if citizen is None:
            return None
        cancelled = await bookings.cancel(
            session, activity_id, citizen_id, support_person_id=person.id
        )
        return citizen if cancelled else None
