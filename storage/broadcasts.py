"""Broadcasts: a coordinator's message to many, its audience chosen by the database when it
starts, its recipients owed through the outbox, and its progress counted from those rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.people import Role
from storage import outbox
from storage.models import (
    Booking,
    Broadcast,
    BroadcastStatus,
    Citizen,
    OutboxMessage,
    OutboxStatus,
    Participation,
    ParticipationStatus,
    Person,
    SupportStatus,
    VolunteerInterest,
)

__all__ = ["BroadcastStatus"]


class Audience:
    VOLUNTEERS = "volunteers"
    INTERESTS = "interests"
    ACTIVITY = "activity"
    SUPPORT = "support"
    COORDINATORS = "coordinators"


AUDIENCES = (
    Audience.VOLUNTEERS,
    Audience.INTERESTS,
    Audience.ACTIVITY,
    Audience.SUPPORT,
    Audience.COORDINATORS,
)


@dataclass(frozen=True)
class BroadcastInfo:
    """A broadcast as services see it."""

    id: int
    status: str
    created_by: int | None
    audience: str
    interest_ids: tuple[int, ...]
    activity_id: int | None
    text: str
    photo: str | None
    send_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    recipients: int
    delivered: int
    unreachable: int
    failed: int
    failures: dict[str, int]
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_shown: str | None


def _info(row: Broadcast) -> BroadcastInfo:
    return BroadcastInfo(
        row.id,
        row.status,
        row.created_by,
        row.audience,
        tuple(row.interest_ids or ()),
        row.activity_id,
        row.text,
        row.photo,
        row.send_at,
        row.created_at,
        row.started_at,
        row.finished_at,
        row.recipients,
        row.delivered,
        row.unreachable,
        row.failed,
        dict(row.failures or {}),
        row.progress_chat_id,
        row.progress_message_id,
        row.progress_shown,
    )


def _consented(role: str) -> list[ColumnElement[bool]]:
    """People with this role who agreed to be kept (withdrawn or erased: not here)."""
    return [Person.role == role, Person.consent_version.is_not(None)]


def _volunteers() -> list[ColumnElement[bool]]:
    return [*_consented(Role.VOLUNTEER), Person.signup_completed_at.is_not(None)]


def chosen(
    audience: str,
    *,
    interest_ids: Sequence[int] = (),
    activity_id: int | None = None,
    sender_id: int | None = None,
) -> Select[int, int, str | None]:
    """Whom a broadcast reaches now, as (person id, Telegram id, language): only people who
    consented, chosen by the database. A citizen is never a recipient (only the support
    person who booked them)."""
    columns = select(Person.id, Person.telegram_id, Person.language)
    if audience == Audience.INTERESTS:
        likes = select(VolunteerInterest.person_id).where(
            VolunteerInterest.interest_id.in_(list(interest_ids))
        )
        return columns.where(*_volunteers(), Person.id.in_(likes))
    if audience == Audience.ACTIVITY:
        going = select(Participation.person_id).where(
            Participation.activity_id == activity_id,
            Participation.status == ParticipationStatus.JOINED,
        )
        booking = (
            select(Citizen.support_person_id)
            .join(Booking, Booking.citizen_id == Citizen.id)
            .where(Booking.activity_id == activity_id)
        )
        return columns.where(
            or_(
                # Whoever is joined, as the reminders reach them: a volunteer made coordinator
                # since still goes.
                Person.id.in_(going) & Person.consent_version.is_not(None),
                Person.id.in_(booking) & _and(_consented(Role.SUPPORT)),
            )
        )
    if audience == Audience.SUPPORT:
        # A request still waiting for a coordinator, or declined, is not a support person yet.
        return columns.where(
            *_consented(Role.SUPPORT),
            Person.signup_completed_at.is_not(None),
            Person.support_status == SupportStatus.APPROVED,
        )
    if audience == Audience.COORDINATORS:
        # The sender knows what they wrote: the other coordinators get it.
        return columns.where(Person.role == Role.COORDINATOR, Person.id != (sender_id or 0))
    return columns.where(*_volunteers())


def _and(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


async def count(session: AsyncSession, audience: Select[int, int, str | None]) -> int:
    """How many people `audience` chooses now."""
    return await session.scalar(select(func.count()).select_from(audience.subquery())) or 0


async def create(
    session: AsyncSession,
    *,
    created_by: int,
    audience: str,
    interest_ids: Sequence[int],
    activity_id: int | None,
    text: str,
    photo: str | None,
    now: datetime,
) -> BroadcastInfo:
    """A draft, to be previewed, then sent, scheduled or discarded."""
    row = Broadcast(
        status=BroadcastStatus.DRAFT,
        created_by=created_by,
        audience=audience,
        interest_ids=list(interest_ids) or None,
        activity_id=activity_id,
        text=text,
        photo=photo,
        created_at=now,
        recipients=0,
        delivered=0,
        unreachable=0,
        failed=0,
    )
    session.add(row)
    await session.flush()
    return _info(row)


async def find(session: AsyncSession, broadcast_id: int) -> BroadcastInfo | None:
    row = await session.get(Broadcast, broadcast_id)
    return _info(row) if row else None


async def move(
    session: AsyncSession,
    broadcast_id: int,
    *,
    from_statuses: Sequence[str],
    created_by: int | None = None,
    **values: object,
) -> bool:
    """Change a broadcast only while it is in one of `from_statuses` (and, given
    `created_by`, only the sender's own): one conditional UPDATE, so of two presses at once
    only one counts."""
    conditions = [Broadcast.id == broadcast_id, Broadcast.status.in_(list(from_statuses))]
    if created_by is not None:
        conditions.append(Broadcast.created_by == created_by)
    result = await session.execute(update(Broadcast).where(*conditions).values(**values))
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


async def delete_draft(session: AsyncSession, broadcast_id: int, created_by: int) -> bool:
    """Discard a draft of this sender's; False if it is not one (any more)."""
    row = await session.get(Broadcast, broadcast_id)
    if row is None or row.status != BroadcastStatus.DRAFT or row.created_by != created_by:
        return False
    await session.delete(row)
    return True


async def forget_old(
    session: AsyncSession, *, drafts_before: datetime, texts_before: datetime
) -> int:
    """Delete drafts left unsent since `drafts_before`, and clear the message (text and
    photo) of broadcasts finished or cancelled before `texts_before`: who sent what to which
    audience, when and with what result stays; the words, which may name people, go."""
    drafts = await session.execute(
        delete(Broadcast).where(
            Broadcast.status == BroadcastStatus.DRAFT, Broadcast.created_at < drafts_before
        )
    )
    texts = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.status.in_([BroadcastStatus.DONE, BroadcastStatus.CANCELLED]),
            Broadcast.finished_at < texts_before,
            or_(Broadcast.text != "", Broadcast.photo.is_not(None)),
        )
        .values(text="", photo=None)
    )
    return drafts.rowcount + texts.rowcount  # type: ignore[attr-defined,no-any-return]


async def enqueue(
    session: AsyncSession,
    broadcast: BroadcastInfo,
    audience: Select[int, int, str | None],
    *,
    language: str,
    default: str,
    text: str,
    now: datetime,
) -> int:
    """Owe the readers of `language` among `audience` the broadcast, with one INSERT. The
    dedupe key names the broadcast and the person, so starting it twice owes nothing twice."""
    readers = outbox.reading(
        audience, language, default=default, dedupe_prefix=f"broadcast:{broadcast.id}:"
    )
    return await outbox.enqueue_many(
        session,
        readers,
        kind="broadcast",
        text=text,
        now=now,
        broadcast_id=broadcast.id,
        photo=broadcast.photo,
    )


async def due(session: AsyncSession, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come."""
    found = await session.scalars(
        select(Broadcast.id)
        .where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.send_at <= now)
        .order_by(Broadcast.send_at)
    )
    return list(found)


async def sending(session: AsyncSession) -> list[BroadcastInfo]:
    """Broadcasts going out now, and finished ones whose last progress was not shown."""
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.status == BroadcastStatus.SENDING).order_by(Broadcast.id)
    )
    return [_info(row) for row in rows]


@dataclass(frozen=True)
class Tally:
    """A broadcast's rows by how they ended so far."""

    pending: int
    sent: int
    dropped: int
    failed: int
    failures: dict[str, int]


async def tally(session: AsyncSession, broadcast_id: int) -> Tally:
    """Its outbox rows counted by status (and why those given up were), by the database."""
    rows = await session.execute(
        select(OutboxMessage.status, OutboxMessage.failure, func.count())
        .where(OutboxMessage.broadcast_id == broadcast_id)
        .group_by(OutboxMessage.status, OutboxMessage.failure)
    )
    by_status: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for status, failure, number in rows:
        by_status[status] += number
        if status == OutboxStatus.FAILED:
            failures[failure or "unknown"] += number
    return Tally(
        by_status[OutboxStatus.PENDING],
        by_status[OutboxStatus.SENT],
        by_status[OutboxStatus.DROPPED],
        by_status[OutboxStatus.FAILED],
        dict(failures),
    )


async def recent(session: AsyncSession, limit: int) -> list[BroadcastInfo]:
    """The latest broadcasts that were sent or are to be, newest first (drafts left out)."""
    rows = await session.scalars(
        select(Broadcast)
        .where(Broadcast.status != BroadcastStatus.DRAFT)
        .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
        .limit(limit)
    )
    return [_info(row) for row in rows]


async def sender_of(session: AsyncSession, person_id: int | None) -> tuple[int, str | None] | None:
    """The sender's Telegram id and language, if they are still stored."""
    if person_id is None:
        return None
    row = (
        await session.execute(
            select(Person.telegram_id, Person.language).where(Person.id == person_id)
        )
    ).first()
    return (row[0], row[1]) if row else None
