"""The citizens a support person books for: listed, added with the recorded agreement and
the authority it was given on, their needs on the day set and changed (each change recorded
like the agreement), shared with a colleague by a single-use link, and removed again: from
one support person, or, by the last one, erased (their places given back).

Each action is one unit of work. Nothing here tells anyone else: a citizen is known only to
the support persons who keep them (and, by first name and needs, to the volunteers and
coordinators of the activities they are booked into: services.needs).
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.needs import NOTE_MAX, Authority, clean_note
from kernel.people import PersonInfo
from services import consent_texts as consent
from services.erasure import WIPED_WITHIN_MINUTES, Erased, wipe_erased
from services.unit_of_work import unit_of_work
from storage import citizens, wipe
from storage.citizens import (
    MOST_CITIZENS_PER_SUPPORT_PERSON,
    CitizenInfo,
    Removed,
    SameNameTwice,
    Shared,
    TooManyCitizens,
)

# A sharing link's start parameter: distinct from campaign names and other tokens.
SHARE_PREFIX = "share-"
SHARE_VALID_DAYS = 7

__all__ = [
    "MOST_CITIZENS_PER_SUPPORT_PERSON",
    "NOTE_MAX",
    "SHARE_PREFIX",
    "SHARE_VALID_DAYS",
    "WIPED_WITHIN_MINUTES",
    "Addition",
    "Authority",
    "CitizenInfo",
    "Erased",
    "Removal",
    "Shared",
    "Sharing",
    "accept_share",
    "add",
    "add_on",
    "check_name",
    "citizens_of",
    "clean_note",
    "erase_all_of",
    "find",
    "is_share_parameter",
    "remove",
    "set_needs",
    "share",
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
    """Keep a citizen who agreed themselves (see `add_on`): ADDED, SAME_NAME or TOO_MANY."""
    addition, _ = await add_on(runtime, person, first_name, language, Authority.SELF)
    return addition


async def add_on(
    runtime: Runtime,
    person: PersonInfo,
    first_name: str,
    language: str,
    authority: Authority,
) -> tuple[Addition, CitizenInfo | None]:
    """Keep a citizen whose agreement the support person just confirmed on this authority,
    with the agreement (the text shown, in `language`, and the authority) in the consent
    ledger; their needs follow with `set_needs`. The citizen only when ADDED."""
    shown = consent.CITIZEN.shown(runtime.texts, language, name=first_name)
    try:
        async with unit_of_work(runtime) as session:
            added = await citizens.add(
                session,
                person.id,
                first_name,
                text=shown,
                now=runtime.clock.now(),
                authority=authority,
            )
    except SameNameTwice:
        return Addition.SAME_NAME, None
    except TooManyCitizens:
        return Addition.TOO_MANY, None
    return Addition.ADDED, added


async def set_needs(
    runtime: Runtime,
    person: PersonInfo,
    citizen_id: int,
    needs: tuple[str, ...],
    note: str | None,
    language: str,
) -> CitizenInfo | None:
    """A citizen's needs on the day and note, chosen by a support person who keeps them,
    recorded in the consent ledger like the agreement (the question shown, on the authority
    in force). The note must have passed `clean_note`. None when they keep no such citizen."""
    async with unit_of_work(runtime) as session:
        found = await citizens.find(session, citizen_id, person.id)
        if found is None:
            return None
        shown = consent.CITIZEN_NEEDS.shown(runtime.texts, language, name=found.first_name)
        return await citizens.change_needs(
            session,
            citizen_id,
            person.id,
            needs=needs,
            note=note,
            authority=Authority(found.authority or Authority.SELF.value),
            text=shown,
            now=runtime.clock.now(),
        )


@dataclass(frozen=True)
class Removal:
    """A citizen removed: who they were, and whether their bytes are already wiped from the
    database files (Erased.WIPED) or will be by the scheduled job (Erased.WIPE_PENDING)."""

    citizen: CitizenInfo
    erased: Erased
    # Shared: a colleague still keeps them (and their bookings); nothing was erased.
    kept_by_others: bool = False


async def remove(
    runtime: Runtime, citizen_id: int, person: PersonInfo, *, actor: str = "support_person"
) -> Removal | None:
    """Remove a citizen from this support person. Shared with a colleague, they stay with
    the colleague. The last keeper's removal erases them: their bookings give their places
    back, the agreement is withdrawn, name, needs and note are deleted and a wipe of the files
    is owed, then tried once. None when there was no such citizen."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        citizen = await citizens.find(session, citizen_id, person.id)
        if citizen is None:
            return None
        removed = await citizens.remove_from(session, citizen_id, person.id, actor=actor, now=now)
        if removed is Removed.ERASED:
            await wipe.owe(session, now=now)
    if removed is Removed.NOT_FOUND:
        return None
    if removed is Removed.KEPT_BY_OTHERS:
        return Removal(citizen, Erased.WIPED, kept_by_others=True)
    wiped = await wipe_erased(runtime)
    return Removal(citizen, Erased.WIPED if wiped else Erased.WIPE_PENDING)


async def erase_all_of(
    session: AsyncSession, runtime: Runtime, support_person: PersonInfo, *, actor: str
) -> int:
    """Inside the caller's unit of work: remove every citizen from a support person who leaves
    the role. Those a colleague shares stay with the colleague; the others are erased (their
    bookings give their places back, each agreement is withdrawn) and a wipe of the files is
    owed. The caller tries the wipe after its commit (erasure.wipe_erased)."""
    now = runtime.clock.now()
    removed = await citizens.remove_all_of(session, support_person.id, actor=actor, now=now)
    if removed:
        await wipe.owe(session, now=now)
    return removed


# --- Sharing with a colleague ---------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Sharing:
    """A sharing link made: the /start parameter to put in it, and for whom."""

    start_parameter: str
    citizen: CitizenInfo


async def share(runtime: Runtime, person: PersonInfo, citizen_id: int) -> Sharing | None:
    """A single-use link, valid SHARE_VALID_DAYS, that lets a colleague keep this citizen too.
    Only the token's hash is stored. None when this support person keeps no such citizen."""
    token = secrets.token_urlsafe(24)
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        found = await citizens.offer_share(
            session,
            citizen_id,
            person.id,
            token_sha256=_token_hash(token),
            now=now,
            expires_at=now + timedelta(days=SHARE_VALID_DAYS),
        )
    if found is None:
        return None
    return Sharing(SHARE_PREFIX + token, found)


def is_share_parameter(parameter: str | None) -> bool:
    return bool(parameter) and str(parameter).startswith(SHARE_PREFIX)


async def accept_share(
    runtime: Runtime, person: PersonInfo, parameter: str
) -> tuple[Shared, CitizenInfo | None]:
    """A colleague opened a sharing link: they keep the citizen too, and the link is used."""
    token = parameter.removeprefix(SHARE_PREFIX)
    async with unit_of_work(runtime) as session:
        return await citizens.accept_share(
            session, _token_hash(token), person.id, now=runtime.clock.now()
        )
