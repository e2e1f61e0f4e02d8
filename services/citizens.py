"""The citizens a support person books for: listed, added with the recorded agreement of the
citizen or their guardian, and removed again (their places given back).

Each action is one unit of work. Nothing here tells anyone else: a citizen is known only to
their own support person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import consent_texts as consent
from services.erasure import WIPED_WITHIN_MINUTES, Erased, wipe_erased
from services.unit_of_work import unit_of_work
from storage import citizens, wipe
from storage.citizens import (
    MOST_CITIZENS_PER_SUPPORT_PERSON,
    CitizenInfo,
    SameNameTwice,
    TooManyCitizens,
)

__all__ = [
    "MOST_CITIZENS_PER_SUPPORT_PERSON",
    "WIPED_WITHIN_MINUTES",
    "Addition",
    "CitizenInfo",
    "Erased",
    "Removal",
    "add",
    "check_name",
    "citizens_of",
    "erase_all_of",
    "find",
    "remove",
]


class Addition(enum.Enum):
    """Whether a first name can be (or was) added to a support person's citizens."""

    ADDED = "added"
    FREE = "free"
    SAME_NAME = "same_name"
    TOO_MANY = "too_many"


async def citizens_of(runtime: Runtime, person: PersonInfo) -> list[CitizenInfo]:
    """This support person's citizens, in the order they were added."""
    async with unit_of_work(runtime) as session:
        return await citizens.citizens_of(session, person.id)


async def find(runtime: Runtime, citizen_id: int, person: PersonInfo) -> CitizenInfo | None:
    """The citizen, only if this support person looks after them."""
    async with unit_of_work(runtime) as session:
        return await citizens.find(session, citizen_id, person.id)


async def check_name(runtime: Runtime, person: PersonInfo, first_name: str) -> Addition:
    """Whether this name could be added now: FREE, SAME_NAME or TOO_MANY. Said before the
    agreement is asked; `add` checks both again when the name is kept."""
    everyone = await citizens_of(runtime, person)
    if citizens.name_taken(everyone, first_name):
        return Addition.SAME_NAME
    if len(everyone) >= MOST_CITIZENS_PER_SUPPORT_PERSON:
        return Addition.TOO_MANY
    return Addition.FREE


async def add(runtime: Runtime, person: PersonInfo, first_name: str, language: str) -> Addition:
    """Keep a citizen whose agreement the support person just confirmed, with the agreement
    (the text shown, in `language`) in the consent ledger: ADDED, SAME_NAME or TOO_MANY."""
    shown = consent.CITIZEN.shown(runtime.texts, language, name=first_name)
    try:
        async with unit_of_work(runtime) as session:
            await citizens.add(session, person.id, first_name, text=shown, now=runtime.clock.now())
    except SameNameTwice:
        return Addition.SAME_NAME
    except TooManyCitizens:
        return Addition.TOO_MANY
    return Addition.ADDED


@dataclass(frozen=True)
class Removal:
    """A citizen removed: who they were, and whether their bytes are already wiped from the
    database files (Erased.WIPED) or will be by the scheduled job (Erased.WIPE_PENDING)."""

    citizen: CitizenInfo
    erased: Erased


async def remove(runtime: Runtime, citizen_id: int, person: PersonInfo) -> Removal | None:
    """Erase a citizen of this support person: their bookings give their places back, the
    agreement is withdrawn and a wipe of the files is owed, then tried once. None when there
    was no such citizen."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        citizen = await citizens.find(session, citizen_id, person.id)
        if citizen is None:
            return None
        removed = await citizens.remove(
            session, citizen_id, person.id, actor="support_person", now=now
        )
        if removed:
            await wipe.owe(session, now=now)
    if not removed:
        return None
    wiped = await wipe_erased(runtime)
    return Removal(citizen, Erased.WIPED if wiped else Erased.WIPE_PENDING)


async def erase_all_of(
    session: AsyncSession, runtime: Runtime, support_person: PersonInfo, *, actor: str
) -> int:
    """Inside the caller's unit of work: erase every citizen of a support person who leaves
    the role (their bookings give their places back, each agreement is withdrawn) and owe a
    wipe of the files. The caller tries the wipe after its commit (erasure.wipe_erased)."""
    now = runtime.clock.now()
    removed = await citizens.remove_all_of(session, support_person.id, actor=actor, now=now)
    if removed:
        await wipe.owe(session, now=now)
    return removed
