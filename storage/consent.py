"""The append-only consent ledger and the keyed pseudonym that outlives erasure."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AppSecret, ConsentEvent

GRANTED = "granted"
WITHDRAWN = "withdrawn"
_PSEUDONYM_SECRET = "pseudonym"


@dataclass(frozen=True)
class ConsentText:
    """Exactly what a person was shown when they decided."""

    purpose: str
    version: int
    sha256: str
    language: str
    legal_basis: str


@dataclass(frozen=True)
class ConsentRecord:
    purpose: str
    action: str
    text_version: int
    text_sha256: str
    language: str
    legal_basis: str
    actor: str
    age_confirmed: bool
    at: datetime
    # For a citizen: the authority the support person confirmed on (storage.citizens.Authority).
    authority: str | None = None


async def pseudonym_key(session: AsyncSession, configured: str | None) -> bytes:
    """The operator's PSEUDONYM_SECRET, or one the bot generated once and keeps."""
    if configured:
        return configured.encode()
    stored = await session.get(AppSecret, _PSEUDONYM_SECRET)
    if stored is None:
        stored = AppSecret(name=_PSEUDONYM_SECRET, value=secrets.token_hex(32))
        session.add(stored)
        await session.flush()
    return stored.value.encode()


async def record(
    session: AsyncSession,
    *,
    subject: str,
    person_id: int | None,
    text: ConsentText,
    action: str,
    actor: str,
    now: datetime,
    age_confirmed: bool = False,
    authority: str | None = None,
) -> None:
    """Append one decision to the ledger; rows are never changed or deleted."""
    session.add(
        ConsentEvent(
            subject=subject,
            person_id=person_id,
            purpose=text.purpose,
            action=action,
            text_version=text.version,
            text_sha256=text.sha256,
            language=text.language,
            legal_basis=text.legal_basis,
            actor=actor,
            age_confirmed=age_confirmed,
            at=now,
            authority=authority,
        )
    )
    await session.flush()


async def withdraw(session: AsyncSession, *, subject: str, actor: str, now: datetime) -> None:
    """Record that the consent in force under this pseudonym is withdrawn; no-op if none is."""
    result = await session.execute(
        select(ConsentEvent)
        .where(ConsentEvent.subject == subject)
        .order_by(ConsentEvent.id.desc())
        .limit(1)
    )
    granted = result.scalar_one_or_none()
    if granted is None or granted.action != GRANTED:
        return
    # The withdrawal names exactly the text that was agreed to, and keeps no link to the row.
    await record(
        session,
        subject=subject,
        person_id=None,
        text=ConsentText(
            purpose=granted.purpose,
            version=granted.text_version,
            sha256=granted.text_sha256,
            language=granted.language,
            legal_basis=granted.legal_basis,
        ),
        action=WITHDRAWN,
        actor=actor,
        now=now,
        age_confirmed=granted.age_confirmed,
        authority=granted.authority,
    )


async def history(session: AsyncSession, subject: str) -> list[ConsentRecord]:
    """Every decision recorded for this pseudonym, oldest first."""
    result = await session.execute(
        select(ConsentEvent).where(ConsentEvent.subject == subject).order_by(ConsentEvent.id)
    )
    return [
        ConsentRecord(
            purpose=event.purpose,
            action=event.action,
            text_version=event.text_version,
            text_sha256=event.text_sha256,
            language=event.language,
            legal_basis=event.legal_basis,
            actor=event.actor,
            age_confirmed=event.age_confirmed,
            at=event.at,
            authority=event.authority,
        )
        for event in result.scalars()
    ]
