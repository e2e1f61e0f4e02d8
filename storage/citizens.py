"""The citizens a support person books into activities.

A citizen is GDPR article 9 data: that someone takes part in activities for people with
disabilities says something about their health. So we keep a first name (what volunteers
greet them by) and which activities they are booked into, nothing else, and only after the
support person confirmed that the citizen or their guardian agreed. Every citizen belongs to
exactly one support person, and every read here is scoped to that support person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import bookings, consent
from storage.models import Citizen

# Generous for a home's staff member; stops a runaway script from filling the table.
MOST_CITIZENS_PER_SUPPORT_PERSON = 40


class TooManyCitizens(Exception):
    """The support person already looks after the most citizens we keep for one person."""


class SameNameTwice(Exception):
    """Two citizens of one support person under one name could not be told apart."""


def ledger_subject(consent_ref: str) -> str:
    """The consent ledger's name for a citizen: a random reference, so the proof of their
    agreement outlives erasure without naming anyone."""
    return f"citizen:{consent_ref}"


@dataclass(frozen=True)
class CitizenInfo:
    id: int
    first_name: str
    created_at: datetime


def name_taken(existing: list[CitizenInfo], first_name: str) -> bool:
    """Whether one of `existing` has this name already, whatever the case."""
    return any(other.first_name.casefold() == first_name.casefold() for other in existing)


def _info(citizen: Citizen) -> CitizenInfo:
    return CitizenInfo(citizen.id, citizen.first_name, citizen.created_at)


async def citizens_of(session: AsyncSession, support_person_id: int) -> list[CitizenInfo]:
    """A support person's citizens, in the order they were added."""
    result = await session.execute(
        select(Citizen).where(Citizen.support_person_id == support_person_id).order_by(Citizen.id)
    )
    return [_info(citizen) for citizen in result.scalars()]


async def find(
    session: AsyncSession, citizen_id: int, support_person_id: int
) -> CitizenInfo | None:
    """The citizen, only if this support person looks after them."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or citizen.support_person_id != support_person_id:
        return None
    return _info(citizen)


async def add(
    session: AsyncSession,
    support_person_id: int,
    first_name: str,
    *,
    text: consent.ConsentText,
    now: datetime,
) -> CitizenInfo:
    """Add a citizen whose agreement the support person just confirmed, and record it."""
    existing = await citizens_of(session, support_person_id)
    if len(existing) >= MOST_CITIZENS_PER_SUPPORT_PERSON:
        raise TooManyCitizens
    if name_taken(existing, first_name):
        raise SameNameTwice
    citizen = Citizen(
        support_person_id=support_person_id,
        first_name=first_name,
        consent_ref=str(uuid.uuid4()),
        created_at=now,
    )
    session.add(citizen)
    await session.flush()
    await consent.record(
        session,
        subject=ledger_subject(citizen.consent_ref),
        person_id=support_person_id,
        text=text,
        action=consent.GRANTED,
        actor="support_person",
        now=now,
    )
    return _info(citizen)


async def remove(
    session: AsyncSession,
    citizen_id: int,
    support_person_id: int,
    *,
    actor: str,
    now: datetime,
) -> bool:
    """Erase a citizen: their bookings give their places back, the agreement is withdrawn
    in the ledger, and the row is deleted. False when this support person has no such citizen."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or citizen.support_person_id != support_person_id:
        return False
    await bookings.cancel_all_of(session, citizen.id)
    await consent.withdraw(
        session,
        subject=ledger_subject(citizen.consent_ref),
        actor=actor,
        now=now,
    )
    await session.delete(citizen)
    await session.flush()
    return True


async def remove_all_of(
    session: AsyncSession, support_person_id: int, *, actor: str, now: datetime
) -> int:
    """Erase every citizen of a support person, e.g. when the support person is erased."""
    everyone = await citizens_of(session, support_person_id)
    for citizen in everyone:
        await remove(session, citizen.id, support_person_id, actor=actor, now=now)
    return len(everyone)


async def count_all(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Citizen)) or 0


async def export_of(session: AsyncSession, support_person_id: int) -> list[dict[str, object]]:
    """A support person's citizens and their bookings, for the support person's /mydata."""
    return [
        {
            "first_name": citizen.first_name,
            "added_at": citizen.created_at.isoformat(),
            "bookings": await bookings.export_of(session, citizen.id),
        }
        for citizen in await citizens_of(session, support_person_id)
    ]
