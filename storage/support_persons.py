"""A support person's registration: nothing is written about them before consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent
from storage.models import Person, Role
from storage.people import PersonInfo, load_person, to_info
from storage.volunteers import NotConsented


async def grant_consent(
    session: AsyncSession,
    telegram_id: int,
    *,
    text: consent.ConsentText,
    subject: str,
    name: str | None,
    now: datetime,
) -> PersonInfo:
    """Make a lead a support person who consented to `text`; their name comes along."""
    person = await load_person(session, telegram_id)
    if person is None or person.role not in (Role.LEAD, Role.SUPPORT):
        raise NotConsented("only leads and support persons can consent as support persons")
    person.role = Role.SUPPORT
    person.consent_version = text.version
    if name:
        person.name = name
    await consent.record(
        session,
        subject=subject,
        person_id=person.id,
        text=text,
        action=consent.GRANTED,
        actor="self",
        now=now,
        age_confirmed=True,
    )
    return await _reload(session, telegram_id)


async def _update_consented(session: AsyncSession, telegram_id: int, **values: object) -> None:
    # The WHERE clause is the guarantee: a row without consent is never given personal data.
    result = await session.execute(
        update(Person)
        .where(
            Person.telegram_id == telegram_id,
            Person.role == Role.SUPPORT,
            Person.consent_version.is_not(None),
        )
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotConsented("personal data offered for a support person without consent")


async def _reload(session: AsyncSession, telegram_id: int) -> PersonInfo:
    person = await load_person(session, telegram_id)
    assert person is not None
    return to_info(person)


async def set_name(session: AsyncSession, telegram_id: int, name: str) -> PersonInfo:
    await _update_consented(session, telegram_id, name=name)
    return await _reload(session, telegram_id)


async def set_phone(session: AsyncSession, telegram_id: int, phone_e164: str) -> PersonInfo:
    await _update_consented(session, telegram_id, phone=phone_e164)
    return await _reload(session, telegram_id)


async def set_organisation(
    session: AsyncSession, telegram_id: int, organisation: str
) -> PersonInfo:
    await _update_consented(session, telegram_id, organisation=organisation)
    return await _reload(session, telegram_id)


async def complete_registration(
    session: AsyncSession, telegram_id: int, *, now: datetime
) -> PersonInfo:
    """Every detail is given: the support person can add citizens and book from now on."""
    await _update_consented(session, telegram_id, signup_completed_at=now)
    return await _reload(session, telegram_id)
