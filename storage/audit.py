"""The audit log: what coordinators did, by id only, never changed or deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kernel.paging import Page, Place
from storage.models import Activity, AuditEntry, Person


@dataclass(frozen=True)
class AuditInfo:
    """One entry as /audit shows it: the ids, and the names a coordinator may see of them."""

    id: int
    at: datetime
    action: str
    actor_person_id: int | None
    activity_id: int | None
    person_id: int | None
    actor_name: str | None
    activity_title: str | None
    person_name: str | None


AuditPage = Page[AuditInfo]


async def record(
    session: AsyncSession,
    *,
    actor_person_id: int | None,
    action: str,
    at: datetime,
    activity_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Append one entry; rows are never changed (the database refuses it)."""
    session.add(
        AuditEntry(
            at=at,
            actor_person_id=actor_person_id,
            action=action,
            activity_id=activity_id,
            person_id=person_id,
        )
    )
    await session.flush()


async def page(session: AsyncSession, asked: int, *, size: int) -> AuditPage:
    """Newest first, one page: only the rows shown are read."""
    count = await session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    if not count:
        return AuditPage.empty()
    place = Place.of(asked, count=count, size=size)
    actor = aliased(Person)
    subject = aliased(Person)
    rows = await session.execute(
        select(AuditEntry, actor.name, Activity.title, subject.name)
        .outerjoin(actor, actor.id == AuditEntry.actor_person_id)
        .outerjoin(subject, subject.id == AuditEntry.person_id)
        .outerjoin(Activity, Activity.id == AuditEntry.activity_id)
        .order_by(AuditEntry.id.desc())
        .offset(place.offset)
        .limit(size)
    )
    items = [
        AuditInfo(
            entry.id,
            entry.at,
            entry.action,
            entry.actor_person_id,
            entry.activity_id,
            entry.person_id,
            actor_name,
            title,
            person_name,
        )
        for entry, actor_name, title, person_name in rows
    ]
    return AuditPage(items, count, place.page, place.pages)


async def export_of(session: AsyncSession, person_id: int) -> list[dict[str, object]]:
    """What this person did as a coordinator, oldest first, for their /mydata."""
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.actor_person_id == person_id).order_by(AuditEntry.id)
    )
    return [
        {
            "at": entry.at.isoformat(),
            "action": entry.action,
            "activity_id": entry.activity_id,
            "person_id": entry.person_id,
        }
        for entry in rows
    ]
