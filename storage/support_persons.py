"""A support person's registration: nothing is written about them before consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent, consented
from storage.models import Role
from storage.people import PersonInfo


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
    return await consented.grant(
        session, telegram_id, Role.SUPPORT, text=text, subject=subject, name=name, now=now
    )


async def _update_consented(session: AsyncSession, telegram_id: int, **values: object) -> None:
    await consented.write(session, telegram_id, Role.SUPPORT, **values)


_reload = consented.reload


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
