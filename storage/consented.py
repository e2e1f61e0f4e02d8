"""The one gate through which personal data is written: only for a person who consented.

Volunteers and support persons consent to different texts, but the rule is the same: a lead
becomes the role they consented as, and every later write names that role and requires a
recorded consent in its WHERE clause.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent
from storage.models import Person, Role
from storage.people import PersonInfo, load_person, to_info


class NotConsented(Exception):
    """A write of personal data for someone who has not consented: a bug, never allowed."""


async def grant(
    session: AsyncSession,
    telegram_id: int,
    role: str,
    *,
    text: consent.ConsentText,
    subject: str,
    name: str | None,
    now: datetime,
) -> PersonInfo:
    """Make a lead (or a person of this role) someone of `role` who consented to `text`;
    the name they gave before consenting comes along."""
    person = await load_person(session, telegram_id)
    if person is None or person.role not in (Role.LEAD, role):
        raise NotConsented(f"only leads and people of role {role} can consent as {role}")
    person.role = role
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
    return await reload(session, telegram_id)


async def write(session: AsyncSession, telegram_id: int, role: str, **values: object) -> None:
    """Write personal data for a person of `role` who consented; anyone else raises."""
    # The WHERE clause is the guarantee: a row without consent is never given personal data.
    result = await session.execute(
        update(Person)
        .where(
            Person.telegram_id == telegram_id,
            Person.role == role,
            Person.consent_version.is_not(None),
        )
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotConsented("personal data offered for a person without consent")


async def reload(session: AsyncSession, telegram_id: int) -> PersonInfo:
    person = await load_person(session, telegram_id)
    assert person is not None
    return to_info(person)
