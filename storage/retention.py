"""Forgetting on schedule: leads after days, volunteers after months without activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.pseudonyms import pseudonym
from storage import data_rights
from storage.models import ConversationState, Person, Role


@dataclass(frozen=True)
class RetentionResult:
    leads_forgotten: int
    volunteers_erased: int


async def forget_stale_leads(session: AsyncSession, *, seen_before: datetime) -> int:
    """Delete leads not seen since `seen_before`; they never consented to anything."""
    stale = select(Person.telegram_id).where(
        Person.role == Role.LEAD, Person.last_seen_at < seen_before
    )
    ids = list((await session.execute(stale)).scalars())
    if not ids:
        return 0
    await session.execute(delete(ConversationState).where(ConversationState.user_id.in_(ids)))
    await session.execute(delete(Person).where(Person.telegram_id.in_(ids)))
    return len(ids)


async def erase_inactive_volunteers(
    session: AsyncSession,
    *,
    seen_before: datetime,
    key: bytes,
    now: datetime,
) -> list[data_rights.Erasure]:
    """Erase volunteers and support persons (with their citizens) inactive since
    `seen_before`, as their consent texts promised.

    One Erasure per person erased: places they freed went to whoever waited, and the
    caller tells those people, in this same transaction.
    """
    inactive = select(Person.telegram_id).where(
        Person.role.in_((Role.VOLUNTEER, Role.SUPPORT)), Person.last_seen_at < seen_before
    )
    ids = list((await session.execute(inactive)).scalars())
    return [
        await data_rights.erase_person(
            session,
            telegram_id,
            subject=pseudonym(telegram_id, key),
            actor="retention",
            now=now,
        )
        for telegram_id in ids
    ]
