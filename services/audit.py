"""The audit log of what coordinators do: one call from any service, inside its own unit of
work, so an action and its entry are committed together or not at all.

    await audit.record(session, coordinator.id, AuditAction.ACTIVITY_CANCELLED, activity_id=7)

Only ids are written: who acted, which activity or person, what and when; never a message
text or a name. The table is append-only in the database itself (migration 0014).
"""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import SystemClock
from kernel.context import Runtime
from kernel.people import PersonInfo
from services.unit_of_work import unit_of_work
from storage import audit, people
from storage.audit import AuditInfo, AuditPage

__all__ = ["PAGE_SIZE", "AuditAction", "AuditInfo", "AuditPage", "page", "record"]

PAGE_SIZE = 10


class AuditAction(enum.Enum):
    """What a coordinator did; the value is what the log stores."""

    ACTIVITY_CREATED = "activity_created"
    ACTIVITY_CHANGED = "activity_changed"
    ACTIVITY_CANCELLED = "activity_cancelled"
    BROADCAST = "broadcast"
    BROADCAST_SCHEDULED = "broadcast_scheduled"
    BROADCAST_CANCELLED = "broadcast_cancelled"
    EXPORT_OWN_DATA = "export_own_data"
    EXPORT_STATS = "export_stats"
    INVITATION_CREATED = "invitation_created"
    INVITATION_REVOKED = "invitation_revoked"
    JOINED_AS_COORDINATOR = "joined_as_coordinator"
    JOINED_AS_SUPPORT = "joined_as_support"
    APPROVAL_GRANTED = "approval_granted"
    APPROVAL_DECLINED = "approval_declined"
    INTEREST_ADDED = "interest_added"
    INTEREST_RENAMED = "interest_renamed"
    INTEREST_RETIRED = "interest_retired"
    HANDED_OVER = "handed_over"
    STEPPED_DOWN = "stepped_down"
    SUPPORT_PERSON_REMOVED = "support_person_removed"
    COORDINATOR_OFFERED = "coordinator_offered"
    COORDINATOR_ACCEPTED = "coordinator_accepted"
    COORDINATOR_DECLINED = "coordinator_declined"


async def record(
    session: AsyncSession,
    actor_person_id: int | None,
    action: AuditAction,
    *,
    activity_id: int | None = None,
    person_id: int | None = None,
    runtime: Runtime | None = None,
) -> None:
    """Append one entry to the audit log in the caller's transaction. `runtime` gives the
    clock (the system clock without it)."""
    clock = runtime.clock if runtime is not None else SystemClock()
    await audit.record(
        session,
        actor_person_id=actor_person_id,
        action=action.value,
        at=clock.now(),
        activity_id=activity_id,
        person_id=person_id,
    )


async def page(runtime: Runtime, coordinator: PersonInfo, asked: int) -> AuditPage | None:
    """One page of the log, newest first; None for anyone but a coordinator (as stored now)."""
    async with unit_of_work(runtime) as session:
        now = await people.find_person(session, coordinator.telegram_id)
        if now is None or not now.is_coordinator:
            return None
        return await audit.page(session, asked, size=PAGE_SIZE)
