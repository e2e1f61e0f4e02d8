"""A person's rights over their data: see all of it, and have it erased."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent
from storage.models import ConversationState, Person, Role
from storage.people import load_person, to_info
from storage.volunteers import interest_names


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export_person(
    session: AsyncSession, telegram_id: int, *, subject: str, language: str
) -> dict[str, Any]:
    """Everything stored about one person, as plain JSON-ready data."""
    person = await load_person(session, telegram_id)
    ledger = await consent.history(session, subject)
    consent_rows = [{**asdict(row), "at": _iso(row.at)} for row in ledger]
    if person is None:
        return {"telegram_id": telegram_id, "person": None, "consent_history": consent_rows}
    info = to_info(person)
    conversations = await session.execute(
        ConversationState.__table__.select().where(ConversationState.user_id == telegram_id)
    )
    return {
        "telegram_id": info.telegram_id,
        "person": {
            "role": info.role,
            "language": info.language,
            "campaign": info.campaign,
            "created_at": _iso(info.created_at),
            "last_seen_at": _iso(info.last_seen_at),
            "consent_version": info.consent_version,
            "name": info.name,
            "phone": info.phone,
            "email": info.email,
            "interests": await interest_names(session, info.interest_ids, language),
            "available_weekdays": list(info.available_days),
            "available_parts_of_day": list(info.available_parts),
            "signup_completed_at": _iso(info.signup_completed_at),
        },
        "open_conversations": [
            {"conversation": row.name, "step": row.state} for row in conversations
        ],
        "consent_history": consent_rows,
    }


async def erase_person(
    session: AsyncSession,
    telegram_id: int,
    *,
    subject: str,
    actor: str,
    now: datetime,
) -> bool:
    """Erase a person's row, answers and conversation state; keep proof of the withdrawal.

    What stays is the consent ledger under the person's pseudonym: that they agreed, when, and
    that they withdrew, when. False when nothing was stored about the person.
    """
    person = await load_person(session, telegram_id)
    if person is None:
        return False
    await consent.withdraw(session, subject=subject, actor=actor, now=now)
    await session.execute(delete(ConversationState).where(ConversationState.user_id == telegram_id))
    await session.delete(person)
    await session.flush()
    return True


async def forget_lead(session: AsyncSession, telegram_id: int) -> None:
    """Forget a lead completely, e.g. someone under the age of digital consent."""
    await session.execute(
        delete(Person).where(Person.telegram_id == telegram_id, Person.role == Role.LEAD)
    )
    await session.execute(delete(ConversationState).where(ConversationState.user_id == telegram_id))
