"""Who is talking to the bot: leads, volunteers and coordinators, and their visits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.people import PersonInfo, Role, new_lead
from storage.dialects import insert_for
from storage.models import Interest, Person, VolunteerInterest
from storage.snapshots import snapshot


def to_info(person: Person) -> PersonInfo:
    return snapshot(
        PersonInfo,
        person,
        interest_ids=tuple(interest.id for interest in person.interests),
        available_days=tuple(person.available_days or ()),
        available_parts=tuple(person.available_parts or ()),
        first_contact=False,  # not a column: only a visit knows it (services.visits)
    )


async def load_person(session: AsyncSession, telegram_id: int) -> Person | None:
    """The ORM row, for repository functions that change it."""
    # populate_existing: a row changed by a Core UPDATE in this session must be read afresh.
    statement = (
        select(Person)
        .where(Person.telegram_id == telegram_id)
        .execution_options(populate_existing=True)
    )
    result = await session.execute(statement)
    return result.scalar_one_or_none()


# A person's interests as "position:id,position:id" in the same statement as the person: the
# person is read on every update, and one statement instead of two (and no ORM objects) is
# what keeps that read short.
_INTERESTS_OF_PERSON = (
    select(
        func.aggregate_strings(
            cast(Interest.position, String) + ":" + cast(VolunteerInterest.interest_id, String),
            ",",
        )
    )
    .select_from(VolunteerInterest)
    .join(Interest, Interest.id == VolunteerInterest.interest_id)
    .where(VolunteerInterest.person_id == Person.id)
    .scalar_subquery()
    .label("interest_list")
)


def _interest_ids(listed: str | None) -> tuple[int, ...]:
    """The ids from `_INTERESTS_OF_PERSON`, in the order volunteers see the interests."""
    if not listed:
        return ()
    pairs = sorted(tuple(int(n) for n in pair.split(":")) for pair in listed.split(","))
    return tuple(interest_id for _, interest_id in pairs)


_PERSON_BY_TELEGRAM_ID = select(*Person.__table__.columns, _INTERESTS_OF_PERSON).where(
    Person.telegram_id == bindparam("telegram_id")
)


def _person_from_row(row: Any) -> PersonInfo:
    return snapshot(
        PersonInfo,
        row,
        interest_ids=_interest_ids(row.interest_list),
        available_days=tuple(row.available_days or ()),
        available_parts=tuple(row.available_parts or ()),
        first_contact=False,  # not a column: only a visit knows it (services.visits)
    )


async def find_person(session: AsyncSession, telegram_id: int) -> PersonInfo | None:
    """The person with this Telegram id, or None when we keep nothing about them."""
    # Built once: this runs for every update, and building and keying a statement of thirty
    # columns each time cost more than running it. The session's own changes go first, as
    # the session's `execute` would do.
    await session.flush()
    connection = await session.connection()
    result = await connection.execute(_PERSON_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    row = result.one_or_none()
    return None if row is None else _person_from_row(row)


async def register_visit(
    session: AsyncSession,
    telegram_id: int,
    *,
    now: datetime,
    is_configured_coordinator: bool,
    language: str | None = None,
) -> PersonInfo:
    """Record that a person is here: a new person becomes a lead (Telegram id and timestamps).

    The insert ignores a concurrent twin, so two bot processes cannot create the same person
    twice. A coordinator named in the settings gets that role back even after erasing their data.
    `language` (from the Telegram app) is kept for a new person, so messages the bot sends them
    later, outside their own conversation, come in their language.
    """
    role = Role.COORDINATOR if is_configured_coordinator else Role.LEAD
    await session.execute(
        insert_for(session)(Person)
        .values(_first_visit(telegram_id, role, language, now, is_configured_coordinator))
        .on_conflict_do_nothing(index_elements=[Person.telegram_id])
    )
    changes: dict[str, object] = {"last_seen_at": now}
    if language is not None:
        # A coordinator from the settings was stored before their first message: their first
        # contact tells their language, as it does for everyone else.
        changes["language"] = func.coalesce(Person.language, language)
    if is_configured_coordinator:
        changes |= {"role": Role.COORDINATOR, "coordinator_from_config": True}
    await session.execute(update(Person).where(Person.telegram_id == telegram_id).values(**changes))
    person = await find_person(session, telegram_id)
    assert person is not None
    return person


async def add_lead(
    session: AsyncSession, telegram_id: int, *, now: datetime, language: str | None
) -> PersonInfo | None:
    """Record someone never seen before as a lead, in one statement; None when they were
    stored meanwhile (by a twin update or another bot process), who then need `register_visit`.
    """
    person_id = await session.scalar(
        insert_for(session)(Person)
        .values(_first_visit(telegram_id, Role.LEAD, language, now, False))
        .on_conflict_do_nothing(index_elements=[Person.telegram_id])
        .returning(Person.id)
    )
    if person_id is None:
        return None
    return new_lead(telegram_id, now=now, language=language, person_id=person_id)


def _first_visit(
    telegram_id: int, role: str, language: str | None, now: datetime, from_config: bool
) -> dict[str, object]:
    """The row of someone met for the first time."""
    return {
        "telegram_id": telegram_id,
        "role": role,
        "language": language,
        "created_at": now,
        "last_seen_at": now,
        "coordinator_from_config": from_config,
        "email_answered": False,
        "interests_answered": False,
        "availability_answered": False,
    }


async def set_campaign_if_unknown(session: AsyncSession, telegram_id: int, campaign: str) -> None:
    """Credit the first campaign link that brought a person; later links do not overwrite it."""
    await session.execute(
        update(Person)
        .where(Person.telegram_id == telegram_id, Person.campaign.is_(None))
        .values(campaign=campaign)
    )


async def set_language(session: AsyncSession, telegram_id: int, language: str) -> None:
    await session.execute(
        update(Person).where(Person.telegram_id == telegram_id).values(language=language)
    )


async def sync_configured_coordinators(
    session: AsyncSession, telegram_ids: tuple[int, ...], *, now: datetime
) -> None:
    """Make the settings' COORDINATOR_IDS coordinators, and demote ids removed from them."""
    for telegram_id in telegram_ids:
        await register_visit(session, telegram_id, now=now, is_configured_coordinator=True)
    await session.execute(
        update(Person)
        .where(
            Person.coordinator_from_config.is_(True),
            Person.telegram_id.not_in(telegram_ids) if telegram_ids else Person.id.is_not(None),
        )
        .values(role=Role.LEAD, coordinator_from_config=False)
    )


async def coordinators(session: AsyncSession) -> list[PersonInfo]:
    result = await session.execute(select(Person).where(Person.role == Role.COORDINATOR))
    return [to_info(person) for person in result.scalars()]
