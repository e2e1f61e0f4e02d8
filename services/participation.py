"""What volunteers do with activities: join, wait for a place, leave, say why they left late.

Each action is one unit of work: the change, the notices it causes (those already going hear
who joins them; whoever moves up hears it; coordinators hear of a late leave that hurts), one
commit, then the outbox sender is woken.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import notices, reminders
from services.unit_of_work import unit_of_work
from storage import activities, confirmations, participation
from storage.activities import ActivityInfo
from storage.participation import Departure, Listing, ListingPage, Outcome, first_name

__all__ = [
    "ActivityInfo",
    "Departure",
    "Listing",
    "ListingPage",
    "Outcome",
    "activity",
    "join",
    "leave",
    "listing",
    "listings",
    "listings_page",
    "my_activities",
    "record_late_reason",
    "wait",
]


async def join(runtime: Runtime, activity_id: int, person: PersonInfo) -> Outcome:
    """Take a volunteer place if one is free; those already going hear who joins them."""
    return await _take(
        runtime, activity_id, person, participation.take_place, Outcome.ALREADY_JOINED
    )


async def wait(runtime: Runtime, activity_id: int, person: PersonInfo) -> Outcome:
    """Join the waiting list, or the activity itself if a place freed up meanwhile."""
    return await _take(
        runtime, activity_id, person, participation.take_place_or_wait, Outcome.ALREADY_WAITING
    )


async def _take(
    runtime: Runtime,
    activity_id: int,
    person: PersonInfo,
    take: participation.Take,
    pressed_twice: Outcome,
) -> Outcome:
    try:
        async with unit_of_work(runtime) as session:
            outcome = await take(session, activity_id, person.id, now=runtime.clock.now())
            if outcome is Outcome.JOINED:
                await _tell_the_company(session, runtime, activity_id, person)
            return outcome
    except IntegrityError:
        # The same person pressed twice at once: the other press holds the place (or the spot
        # on the waiting list), and this unit of work was rolled back.
        return pressed_twice


async def _tell_the_company(
    session: AsyncSession, runtime: Runtime, activity_id: int, person: PersonInfo
) -> None:
    await notices.company_joined(
        session,
        runtime,
        activity_id,
        newcomer=person.telegram_id,
        first_name=first_name(person.name),
    )


async def leave(runtime: Runtime, activity_id: int, person: PersonInfo) -> Departure:
    """Leave an activity or its waiting list. The first waiting moves up and is told; a late
    leave that takes the activity below its minimum warns the coordinators."""
    async with unit_of_work(runtime) as session:
        departure = await participation.leave(
            session, activity_id, person.id, now=runtime.clock.now()
        )
        if departure.left:
            # Never called to it again (services.calls).
            await confirmations.remember_left(session, activity_id, person.id, runtime.clock.now())
        await tell_about_departure(session, runtime, departure)
        return departure


async def tell_about_departure(
    session: AsyncSession, runtime: Runtime, departure: Departure
) -> None:
    """In the leaving's own unit of work (leave, /delete, retention): whoever moved up hears
    it, and the coordinators hear of a late leave that takes the activity below its minimum."""
    left = departure.activity
    if left is None:
        return
    if departure.moved_up is not None:
        await notices.moved_up(session, runtime, departure.moved_up, left)
        await reminders.remind_late_comer(session, runtime, left, departure.moved_up.telegram_id)
    if departure.late and left.is_short:
        await notices.coordinators(
            session,
            runtime,
            "activity.admin.below_minimum",
            kind=notices.LATE_LEAVE_WARNING,
            title=left.title or "",
            joined=left.volunteers_joined,
            minimum=left.min_volunteers or 0,
        )


async def record_late_reason(runtime: Runtime, person: PersonInfo, reason: str | None) -> bool:
    """Attach the reason for a late leave (None: they chose not to say); coordinators hear a
    given reason. False when no late leave was waiting for one."""
    async with unit_of_work(runtime) as session:
        left = await participation.record_late_reason(session, person.id, reason)
        if left is not None and reason is not None:
            await notices.coordinators(
                session,
                runtime,
                "activity.admin.late_reason",
                kind=notices.LATE_LEAVE_REASON,
                name=person.name or "",
                title=left.title or "",
                reason=reason,
            )
        return left is not None


async def activity(runtime: Runtime, activity_id: int) -> ActivityInfo | None:
    """The activity as it is now, whatever its state."""
    async with unit_of_work(runtime) as session:
        return await activities.find(session, activity_id)


async def listings(runtime: Runtime, person: PersonInfo) -> list[Listing]:
    """Upcoming published activities as this volunteer sees them, matches first."""
    async with unit_of_work(runtime) as session:
        return await participation.listings(
            session, person.id, now=runtime.clock.now(), zone=runtime.settings.zone
        )


async def listings_page(runtime: Runtime, person: PersonInfo, page: int, size: int) -> ListingPage:
    """One page of the upcoming published activities as this volunteer sees them, matches
    first; the database counts them and reads only the page."""
    async with unit_of_work(runtime) as session:
        return await participation.listings_page(
            session,
            person.id,
            page=page,
            size=size,
            now=runtime.clock.now(),
            zone=runtime.settings.zone,
        )


async def my_activities(runtime: Runtime, person: PersonInfo) -> list[Listing]:
    """The upcoming activities this volunteer joined or waits for."""
    async with unit_of_work(runtime) as session:
        return await participation.my_activities(
            session, person.id, now=runtime.clock.now(), zone=runtime.settings.zone
        )


async def listing(runtime: Runtime, activity_id: int, person: PersonInfo) -> Listing | None:
    """One activity as this volunteer sees it."""
    async with unit_of_work(runtime) as session:
        return await participation.listing(
            session, activity_id, person.id, zone=runtime.settings.zone
        )


async def clash(runtime: Runtime, activity_id: int, person: PersonInfo) -> ActivityInfo | None:
    """An activity this volunteer already goes to at the same time as this one, if any."""
    async with unit_of_work(runtime) as session:
        return await participation.clashing(session, activity_id, person.id)
