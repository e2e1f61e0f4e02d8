"""The citizens a support person books into activities.

A citizen is GDPR article 9 data: that someone takes part in activities for people with
disabilities says something about their health. So we keep a first name (what volunteers
greet them by) and which activities they are booked into, nothing else, and only after the
support person confirmed that the citizen or their guardian agreed. Since issue 14 a citizen
also has needs on the day (slugs from the catalogue's list and a short note) and the authority
the support person answers on; a citizen can be kept by several support persons (a shared home)
and is erased when the last of them removes them. Every read here is scoped to a keeper.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.needs import Authority
from storage import bookings, consent
from storage.models import Citizen, CitizenKeeper, CitizenNeeds, CitizenShare

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


class Removed(enum.Enum):
    """What removing a citizen from one support person did."""

    NOT_FOUND = "not_found"
    KEPT_BY_OTHERS = "kept_by_others"  # shared: the colleague still has them
    ERASED = "erased"  # the last keeper: everything about them is gone


@dataclass(frozen=True)
class CitizenInfo:
    id: int
    first_name: str
    created_at: datetime
    needs: tuple[str, ...] = field(default=())
    note: str | None = None
    authority: str | None = None
    # How many support persons keep them (set by `find`): more than one means shared.
    keepers: int = 1


def name_taken(existing: list[CitizenInfo], first_name: str) -> bool:
    """Whether one of `existing` has this name already, whatever the case."""
    return any(other.first_name.casefold() == first_name.casefold() for other in existing)


def _info(citizen: Citizen, needs: CitizenNeeds | None) -> CitizenInfo:
    if needs is None:
        return CitizenInfo(citizen.id, citizen.first_name, citizen.created_at)
    return CitizenInfo(
        citizen.id,
        citizen.first_name,
        citizen.created_at,
        tuple(needs.needs or ()),
        needs.note,
        needs.authority,
    )


def kept_by(person_id: int) -> ColumnElement[bool]:
    """Citizens this support person looks after (alone or shared)."""
    return Citizen.id.in_(
        select(CitizenKeeper.citizen_id).where(CitizenKeeper.person_id == person_id)
    )


async def citizens_of(session: AsyncSession, support_person_id: int) -> list[CitizenInfo]:
    """A support person's citizens, in the order they were added."""
    result = await session.execute(
        select(Citizen, CitizenNeeds)
        .outerjoin(CitizenNeeds, CitizenNeeds.citizen_id == Citizen.id)
        .where(kept_by(support_person_id))
        .order_by(Citizen.id)
    )
    return [_info(citizen, needs) for citizen, needs in result.all()]


async def is_keeper(session: AsyncSession, citizen_id: int, person_id: int) -> bool:
    return await session.get(CitizenKeeper, (citizen_id, person_id)) is not None


async def find(
    session: AsyncSession, citizen_id: int, support_person_id: int
) -> CitizenInfo | None:
    """The citizen, only if this support person looks after them."""
    if not await is_keeper(session, citizen_id, support_person_id):
        return None
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        return None
    found = _info(citizen, await session.get(CitizenNeeds, citizen_id))
    return replace(found, keepers=len(await keepers(session, citizen_id)))


async def keepers(session: AsyncSession, citizen_id: int) -> list[int]:
    result = await session.execute(
        select(CitizenKeeper.person_id)
        .where(CitizenKeeper.citizen_id == citizen_id)
        .order_by(CitizenKeeper.since, CitizenKeeper.person_id)
    )
    return list(result.scalars())


async def add_keeper(session: AsyncSession, citizen_id: int, person_id: int, now: datetime) -> bool:
    """Share a citizen with one more support person; False when they kept them already."""
    if await is_keeper(session, citizen_id, person_id):
        return False
    session.add(CitizenKeeper(citizen_id=citizen_id, person_id=person_id, since=now))
    await session.flush()
    return True


async def add(
    session: AsyncSession,
    support_person_id: int,
    first_name: str,
    *,
    text: consent.ConsentText,
    now: datetime,
    needs: tuple[str, ...] = (),
    note: str | None = None,
    authority: Authority = Authority.SELF,
) -> CitizenInfo:
    """Add a citizen whose agreement the support person just confirmed, with their needs on
    the day, and record the agreement and its authority in the ledger."""
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
    session.add(CitizenKeeper(citizen_id=citizen.id, person_id=support_person_id, since=now))
    kept = CitizenNeeds(
        citizen_id=citizen.id,
        needs=list(needs),
        note=note,
        authority=authority.value,
        updated_at=now,
    )
    session.add(kept)
    await _record_agreement(session, citizen, support_person_id, text, authority, now)
    return _info(citizen, kept)


async def change_needs(
    session: AsyncSession,
    citizen_id: int,
    support_person_id: int,
    *,
    needs: tuple[str, ...],
    note: str | None,
    authority: Authority,
    text: consent.ConsentText,
    now: datetime,
) -> CitizenInfo | None:
    """New needs (and authority) for a citizen of this support person, recorded in the ledger
    like the first agreement. None when they keep no such citizen."""
    if not await is_keeper(session, citizen_id, support_person_id):
        return None
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        return None
    kept = await session.get(CitizenNeeds, citizen_id)
    if kept is None:
        kept = CitizenNeeds(citizen_id=citizen_id, authority=authority.value, updated_at=now)
        session.add(kept)
    kept.needs = list(needs)
    kept.note = note
    kept.authority = authority.value
    kept.updated_at = now
    await _record_agreement(session, citizen, support_person_id, text, authority, now)
    return _info(citizen, kept)


async def _record_agreement(
    session: AsyncSession,
    citizen: Citizen,
    support_person_id: int,
    text: consent.ConsentText,
    authority: Authority,
    now: datetime,
) -> None:
    """The ledger's row for needs agreed or changed: on which authority, which text, by whom,
    under the citizen's pseudonymous subject (never the name)."""
    await session.flush()
    await consent.record(
        session,
        subject=ledger_subject(citizen.consent_ref),
        person_id=support_person_id,
        text=text,
        action=consent.GRANTED,
        actor="support_person",
        now=now,
        authority=authority.value,
    )


async def remove(
    session: AsyncSession,
    citizen_id: int,
    support_person_id: int,
    *,
    actor: str,
    now: datetime,
) -> bool:
    """Remove a citizen from this support person (see `remove_from`); False when this
    support person has no such citizen."""
    removed = await remove_from(session, citizen_id, support_person_id, actor=actor, now=now)
    return removed is not Removed.NOT_FOUND


async def remove_from(
    session: AsyncSession,
    citizen_id: int,
    support_person_id: int,
    *,
    actor: str,
    now: datetime,
) -> Removed:
    """Remove a citizen from this support person. A shared citizen stays, with their bookings,
    with the colleagues who keep them. The last keeper's removal erases them: their bookings
    give their places back, the agreement is withdrawn in the ledger, and the row with their
    name, needs and note is deleted (the activity keeps only its anonymous count)."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or not await is_keeper(session, citizen_id, support_person_id):
        return Removed.NOT_FOUND
    await session.execute(
        delete(CitizenKeeper).where(
            CitizenKeeper.citizen_id == citizen_id, CitizenKeeper.person_id == support_person_id
        )
    )
    # Their links to share the citizen go too (accept_share refuses them anyway).
    await session.execute(
        delete(CitizenShare).where(
            CitizenShare.citizen_id == citizen_id, CitizenShare.created_by == support_person_id
        )
    )
    others = await keepers(session, citizen_id)
    if others:
        if citizen.support_person_id == support_person_id:
            # The keeper coordinators call about them is now the colleague.
            citizen.support_person_id = others[0]
        await session.flush()
        return Removed.KEPT_BY_OTHERS
    await bookings.cancel_all_of(session, citizen.id, now=now)
    await consent.withdraw(
        session,
        subject=ledger_subject(citizen.consent_ref),
        actor=actor,
        now=now,
    )
    await session.execute(delete(CitizenNeeds).where(CitizenNeeds.citizen_id == citizen_id))
    await session.delete(citizen)
    await session.flush()
    return Removed.ERASED


async def remove_all_of(
    session: AsyncSession, support_person_id: int, *, actor: str, now: datetime
) -> int:
    """Remove every citizen from a support person, e.g. when the support person is erased:
    those shared stay with their colleagues, the others are erased."""
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
            "needs": list(citizen.needs),
            "note": citizen.note,
            "authority": citizen.authority,
            "shared_with_colleagues": len(await keepers(session, citizen.id)) - 1,
            "bookings": await bookings.export_of(session, citizen.id),
        }
        for citizen in await citizens_of(session, support_person_id)
    ]


# --- Sharing a citizen with a colleague (issue 14) -------------------------------------------


class Shared(enum.Enum):
    SHARED = "shared"
    ALREADY = "already"  # the colleague keeps them already (or made the link themselves)
    SAME_NAME = "same_name"  # the colleague keeps someone else by that name
    TOO_MANY = "too_many"
    INVALID = "invalid"  # used, expired, or never made


async def offer_share(
    session: AsyncSession,
    citizen_id: int,
    person_id: int,
    *,
    token_sha256: str,
    now: datetime,
    expires_at: datetime,
) -> CitizenInfo | None:
    """Keep the hash of a single-use sharing link for a citizen of this support person."""
    found = await find(session, citizen_id, person_id)
    if found is None:
        return None
    session.add(
        CitizenShare(
            token_sha256=token_sha256,
            citizen_id=citizen_id,
            created_by=person_id,
            expires_at=expires_at,
        )
    )
    # Links no longer usable go whenever a new one is made: nothing else needs them.
    await session.execute(delete(CitizenShare).where(CitizenShare.expires_at <= now))
    await session.flush()
    return found


async def accept_share(
    session: AsyncSession, token_sha256: str, person_id: int, *, now: datetime
) -> tuple[Shared, CitizenInfo | None]:
    """The colleague with the link now keeps the citizen too; the link is used up."""
    share = await session.get(CitizenShare, token_sha256)
    if share is None or share.expires_at <= now:
        return Shared.INVALID, None
    citizen = await session.get(Citizen, share.citizen_id)
    # The one who made the link must still look after the citizen: a link made by a support
    # person who removed them, or whom a coordinator removed, gives nobody access.
    if citizen is None or not await is_keeper(session, citizen.id, share.created_by):
        return Shared.INVALID, None
    info = _info(citizen, await session.get(CitizenNeeds, citizen.id))
    if await is_keeper(session, citizen.id, person_id):
        return Shared.ALREADY, info
    existing = await citizens_of(session, person_id)
    if name_taken(existing, citizen.first_name):
        return Shared.SAME_NAME, info
    if len(existing) >= MOST_CITIZENS_PER_SUPPORT_PERSON:
        return Shared.TOO_MANY, info
    used = await session.execute(
        delete(CitizenShare).where(CitizenShare.token_sha256 == token_sha256)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return Shared.INVALID, None  # a second press of the same link at the same moment
    await add_keeper(session, citizen.id, person_id, now)
    return Shared.SHARED, info
