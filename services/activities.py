"""Reading activities as coordinators plan them."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.context import Runtime
from kernel.paging import Page, Place
from services.unit_of_work import unit_of_work
from storage import activities, bookings, participation
from storage.activities import ActivityInfo
from storage.bookings import BookedCitizen
from storage.participation import Participant

__all__ = [
    "ActivityInfo",
    "Attendance",
    "BookedCitizen",
    "Participant",
    "UpcomingPage",
    "attendance",
    "find",
    "upcoming",
    "upcoming_page",
]


async def find(runtime: Runtime, activity_id: int) -> ActivityInfo | None:
    """The activity as it is now, whatever its state."""
    async with unit_of_work(runtime) as session:
        return await activities.find(session, activity_id)


async def upcoming(runtime: Runtime) -> list[ActivityInfo]:
    """Published activities that have not started yet, soonest first."""
    async with unit_of_work(runtime) as session:
        return await activities.upcoming(session, now=runtime.clock.now())


# One page of the upcoming activities, as coordinators plan them.
UpcomingPage = Page[ActivityInfo]


async def upcoming_page(runtime: Runtime, page: int, size: int) -> UpcomingPage:
    """One page of `upcoming` (pages counted from 1, a page past the end shows the last),
    counted and paged by the database."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        count = await activities.upcoming_count(session, now=now)
        place = Place.of(page, count=count, size=size)
        shown = await activities.upcoming_page(session, now=now, offset=place.offset, limit=size)
        return UpcomingPage(shown, count, place.page, place.pages)


@dataclass(frozen=True)
class Attendance:
    """Who comes to an activity, as coordinators see it: volunteers (joined and waiting, in
    the order they came) and the citizens booked, with their support persons."""

    volunteers: list[Participant]
    citizens: list[BookedCitizen]


async def attendance(runtime: Runtime, activity_id: int) -> Attendance:
    """Who joined, who waits and which citizens come to this activity."""
    async with unit_of_work(runtime) as session:
        return Attendance(
            await participation.participants(session, activity_id),
            await bookings.booked_citizens(session, activity_id),
        )
