"""What coordinators do with activities: draft, change, publish, discard and cancel them.

Which activity a coordinator works on, and what for, is stored (a restart continues at the
same question). Each action is one unit of work: the change and the notices it causes (those
going hear of a change or a cancellation; matching volunteers hear of a new activity) commit
together, then the outbox sender is woken.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import notices
from services.unit_of_work import unit_of_work
from storage import activities, participation
from storage.activities import ACCESSIBILITY, ActivityInfo

__all__ = [
    "ACCESSIBILITY",
    "ActivityInfo",
    "Cancelled",
    "Draft",
    "Published",
    "Purpose",
    "cancel",
    "current",
    "discard",
    "people_to_tell",
    "publish",
    "save",
    "start_fresh",
    "stop",
    "take_up",
    "toggle_accessibility",
]


class Purpose(enum.Enum):
    """What a coordinator works on an activity for (the values are stored)."""

    CREATE = "create"
    EDIT = "edit"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Draft:
    """The activity a coordinator works on now, and what for."""

    activity: ActivityInfo
    purpose: Purpose

    @property
    def is_unpublished_draft(self) -> bool:
        """A new activity still being planned (not yet published)."""
        return self.purpose is Purpose.CREATE and self.activity.status == "draft"


@dataclass(frozen=True)
class Published:
    """A published activity: one per week of a series, and how many volunteers heard."""

    activities: list[ActivityInfo]
    told: int


@dataclass(frozen=True)
class Cancelled:
    """A cancelled activity and how many people heard of it."""

    activity: ActivityInfo
    told: int


async def current(runtime: Runtime, coordinator: PersonInfo) -> Draft | None:
    """The activity this coordinator works on, from the database (survives restarts)."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
    if found is None:
        return None
    activity, purpose = found
    return Draft(activity, Purpose(purpose))


async def start_fresh(runtime: Runtime, coordinator: PersonInfo) -> ActivityInfo:
    """Throw away this coordinator's unfinished draft, if any, and start a new one."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is not None and found[1] == Purpose.CREATE.value:
            await activities.discard_draft(session, found[0].id, by=coordinator.id)
        return await activities.start_draft(session, by=coordinator.id, now=runtime.clock.now())


async def take_up(
    runtime: Runtime, coordinator: PersonInfo, activity_id: int, purpose: Purpose
) -> ActivityInfo | None:
    """Start editing or cancelling a published activity; None when it is not published."""
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
        if activity is None or not activity.is_published:
            return None
        await activities.set_editing(session, coordinator.id, activity.id, purpose.value)
        return activity


async def save(runtime: Runtime, coordinator: PersonInfo, **values: object) -> Draft | None:
    """Store answers to the activity being worked on; those going hear of a visible change
    to a published activity. None when the activity is gone (discarded or cancelled)."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is None:
            return None
        before, purpose = found
        changed = await activities.change(
            session, before.id, by=coordinator.id, now=runtime.clock.now(), **values
        )
        if changed is None:
            return None
        if purpose == Purpose.EDIT.value and changed.version != before.version:
            await notices.activity_changed(session, runtime, before, changed)
            changed = await _give_new_places(session, runtime, changed)
        return Draft(changed, Purpose(purpose))


async def _give_new_places(
    session: AsyncSession, runtime: Runtime, activity: ActivityInfo
) -> ActivityInfo:
    """A raised maximum frees places: those waiting move up, in order, and are told."""
    if not activity.is_published:
        return activity
    moved_up = await participation.fill_from_waiting_list(
        session, activity.id, now=runtime.clock.now()
    )
    if not moved_up:
        return activity
    now_full = await activities.find(session, activity.id)
    assert now_full is not None
    for attendee in moved_up:
        await notices.moved_up(session, runtime, attendee, now_full)
    return now_full


async def toggle_accessibility(
    runtime: Runtime, coordinator: PersonInfo, key: str
) -> ActivityInfo | None:
    """Switch one accessibility note of the activity being worked on; None when it is gone
    or `key` is no accessibility note."""
    if key not in ACCESSIBILITY:
        return None
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is None:
            return None
        return await activities.toggle_accessibility(
            session, found[0].id, key, by=coordinator.id, now=runtime.clock.now()
        )


async def publish(runtime: Runtime, coordinator: PersonInfo, draft_id: int) -> Published:
    """Publish a complete draft (a weekly series becomes one activity a week); matching
    volunteers hear of it. No activities when it was no longer a draft."""
    async with unit_of_work(runtime) as session:
        published = await activities.publish(
            session,
            draft_id,
            by=coordinator.id,
            now=runtime.clock.now(),
            zone=runtime.settings.zone,
        )
        told = await notices.new_activity(session, runtime, published)
        return Published(published, told)


async def discard(runtime: Runtime, coordinator: PersonInfo) -> None:
    """Throw away the draft this coordinator works on (a published activity is kept)."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is not None and found[0].status == "draft":
            await activities.discard_draft(session, found[0].id, by=coordinator.id)


async def stop(runtime: Runtime, coordinator: PersonInfo) -> None:
    """The coordinator no longer works on any activity (its changes are already saved)."""
    async with unit_of_work(runtime) as session:
        await activities.stop_editing(session, coordinator.id)


async def people_to_tell(runtime: Runtime, activity_id: int) -> int:
    """How many people a change to or cancellation of this activity reaches."""
    async with unit_of_work(runtime) as session:
        return await notices.people_to_tell(session, activity_id)


async def cancel(
    runtime: Runtime, coordinator: PersonInfo, activity_id: int, reason: str
) -> Cancelled | None:
    """Cancel a published activity; everyone going, waiting or with citizens booked hears
    why. None when it was no longer published (cancelled by a colleague meanwhile)."""
    async with unit_of_work(runtime) as session:
        cancelled = await activities.cancel(
            session, activity_id, by=coordinator.id, reason=reason, now=runtime.clock.now()
        )
        if cancelled is None:
            return None
        activity, attendees = cancelled
        told = await notices.activity_cancelled(
            session, runtime, activity, attendees, reason=reason
        )
        return Cancelled(activity, told)
