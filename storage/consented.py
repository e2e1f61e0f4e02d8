"""The one gate through which personal data is written: only for a person who consented.

Volunteers and support persons consent to different texts, but the rule is the same: a lead
becomes the role they consented as, and every later write names that role and requires a
recorded consent in its WHERE clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent
from storage.models import Person, Role
from storage.people import PersonInfo, find_person, load_person


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


async def write(session: AsyncSession, telegram_id: int, role: str, **values: object) -> PersonInfo:
    """Write personal data for a person of `role` who consented, and return them as they are
    now; anyone else raises."""
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
    # Not UPDATE ... RETURNING: SQLite's RETURNING names columns without their tables, which
    # would make the interests' subquery compare the wrong ids.
    return await reload(session, telegram_id)


async def reload(session: AsyncSession, telegram_id: int) -> PersonInfo:
    person = await find_person(session, telegram_id)
    assert person is not None
    return person


@dataclass(frozen=True)
class ConsentedRole:
    """The writes every consented role shares, bound to one role (volunteers, support
    persons): consent, then personal data through the one gate, each returning the person."""

    role: str

    async def grant_consent(
        self,
        session: AsyncSession,
        telegram_id: int,
        *,
        text: consent.ConsentText,
        subject: str,
        name: str | None,
        now: datetime,
    ) -> PersonInfo:
        """Make a lead someone of this role who consented to `text`; their name comes along."""
        return await grant(
            session, telegram_id, self.role, text=text, subject=subject, name=name, now=now
        )

    async def set(self, session: AsyncSession, telegram_id: int, **values: object) -> PersonInfo:
        """Write these values for a consented person of this role; the person as they are."""
        return await write(session, telegram_id, self.role, **values)

    async def set_name(self, session: AsyncSession, telegram_id: int, name: str) -> PersonInfo:
        return await self.set(session, telegram_id, name=name)

    async def set_phone(
        self, session: AsyncSession, telegram_id: int, phone_e164: str
    ) -> PersonInfo:
        return await self.set(session, telegram_id, phone=phone_e164)

    async def complete(self, session: AsyncSession, telegram_id: int, now: datetime) -> PersonInfo:
        """The sign-up or registration is finished."""
        return await self.set(session, telegram_id, signup_completed_at=now)
