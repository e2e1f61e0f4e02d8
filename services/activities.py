"""Reading activities as coordinators plan them."""

from __future__ import annotations

from kernel.context import Runtime
from services.unit_of_work import unit_of_work
from storage import activities
from storage.activities import ActivityInfo


async def find(runtime: Runtime, activity_id: int) -> ActivityInfo | None:
    """The activity as it is now, whatever its state."""
    async with unit_of_work(runtime) as session:
        return await activities.find(session, activity_id)


async def upcoming(runtime: Runtime) -> list[ActivityInfo]:
    """Published activities that have not started yet, soonest first."""
    async with unit_of_work(runtime) as session:
        return await activities.upcoming(session, now=runtime.clock.now())
