"""A support person's registration: nothing is written about them before consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import consented
from storage.models import Role
from storage.people import PersonInfo

SUPPORT_PERSONS = consented.ConsentedRole(Role.SUPPORT)
grant_consent = SUPPORT_PERSONS.grant_consent
set_name = SUPPORT_PERSONS.set_name
set_phone = SUPPORT_PERSONS.set_phone


async def set_organisation(
    session: AsyncSession, telegram_id: int, organisation: str
) -> PersonInfo:
    return await SUPPORT_PERSONS.set(session, telegram_id, organisation=organisation)


async def complete_registration(
    session: AsyncSession, telegram_id: int, *, now: datetime
) -> PersonInfo:
    """Every detail is given: the support person can add citizens and book from now on."""
    return await SUPPORT_PERSONS.complete(session, telegram_id, now)
