"""Invitations (single-use links to a role) and support persons' requests to be approved.

Every change that must happen once is a conditional UPDATE: of two people opening the same
link, or two coordinators answering the same request, exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invitation, Person, Role, SupportStatus
from storage.snapshots import snapshot


@dataclass(frozen=True)
class InvitationInfo:
    id: int
    role: str
    organisation: str | None
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    opened_by: int | None
    opened_at: datetime | None
    used_at: datetime | None
    revoked_at: datetime | None


def _info(row: Invitation) -> InvitationInfo:
    return snapshot(InvitationInfo, row)


async def create(
    session: AsyncSession,
    *,
    token_sha256: str,
    role: str,
    organisation: str | None,
    created_by: int | None,
    now: datetime,
    expires_at: datetime,
) -> InvitationInfo:
    row = Invitation(
        token_sha256=token_sha256,
        role=role,
        organisation=organisation,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return _info(row)


async def by_hash(session: AsyncSession, token_sha256: str) -> InvitationInfo | None:
    result = await session.execute(
        select(Invitation)
        .where(Invitation.token_sha256 == token_sha256)
        .execution_options(populate_existing=True)
    )
    row = result.scalar_one_or_none()
    return _info(row) if row else None


async def find(session: AsyncSession, invitation_id: int) -> InvitationInfo | None:
    row = await session.get(Invitation, invitation_id, populate_existing=True)
    return _info(row) if row else None


async def claim(session: AsyncSession, invitation_id: int, person_id: int, now: datetime) -> bool:
    """The first opening makes the link this person's; False when someone was first."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.opened_at.is_(None),
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(opened_by=person_id, opened_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def held_by(
    session: AsyncSession, person_id: int, role: str, *, revoked_too: bool = False
) -> InvitationInfo | None:
    """The unused, unrevoked invitation to `role` this person opened, if any (with
    `revoked_too`, also one revoked after they opened it)."""
    conditions = [
        Invitation.opened_by == person_id,
        Invitation.role == role,
        Invitation.used_at.is_(None),
    ]
    if not revoked_too:
        conditions.append(Invitation.revoked_at.is_(None))
    result = await session.execute(
        select(Invitation).where(*conditions).order_by(Invitation.opened_at.desc()).limit(1)
    )
    row = result.scalar_one_or_none()
    return _info(row) if row else None


async def use(session: AsyncSession, invitation_id: int, person_id: int, now: datetime) -> bool:
    """The role was given: the invitation is spent. False when it was revoked meanwhile."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.opened_by == person_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(used_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def open_ones(session: AsyncSession, now: datetime) -> list[InvitationInfo]:
    """Invitations still waiting to be used (opened or not), oldest first."""
    result = await session.execute(
        select(Invitation)
        .where(
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.created_by.is_not(None),
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [_info(row) for row in result.scalars()]


async def revoke(session: AsyncSession, invitation_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def revoke_setup_links(session: AsyncSession, now: datetime) -> None:
    """A new setup link replaces any earlier one nobody used."""
    await session.execute(
        update(Invitation)
        .where(
            Invitation.created_by.is_(None),
            Invitation.role == Role.COORDINATOR,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


async def any_coordinator(session: AsyncSession) -> bool:
    result = await session.execute(
        select(Person.id).where(Person.role == Role.COORDINATOR).limit(1)
    )
    return result.first() is not None


# --- Support persons' requests ----------------------------------------------------------------


async def set_support_status(session: AsyncSession, person_id: int, status: str) -> None:
    await session.execute(
        update(Person)
        .where(Person.id == person_id, Person.role == Role.SUPPORT)
        .values(support_status=status)
    )


async def decide_request(session: AsyncSession, person_id: int, status: str, *, by: int) -> bool:
    """The first coordinator's answer to a pending request; False when it was answered (or
    the person is gone)."""
    result = await session.execute(
        update(Person)
        .where(
            Person.id == person_id,
            Person.role == Role.SUPPORT,
            Person.support_status == SupportStatus.PENDING,
        )
        .values(support_status=status, support_decided_by=by)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Request:
    person_id: int
    telegram_id: int
    name: str | None
    organisation: str | None
    status: str | None
    decided_by: str | None  # the deciding coordinator's name, when known


async def pending_requests(session: AsyncSession) -> list[Request]:
    """Support persons still waiting for a coordinator's answer, oldest first."""
    waiting = await session.scalars(
        select(Person)
        .where(Person.role == Role.SUPPORT, Person.support_status == SupportStatus.PENDING)
        .order_by(Person.id)
    )
    return [
        Request(p.id, p.telegram_id, p.name, p.organisation, p.support_status, None)
        for p in waiting
    ]


async def request(session: AsyncSession, person_id: int) -> Request | None:
    person = await session.get(Person, person_id, populate_existing=True)
    if person is None or person.role != Role.SUPPORT:
        return None
    by = None
    if person.support_decided_by is not None:
        decider = await session.get(Person, person.support_decided_by)
        by = decider.name if decider is not None else None
    return Request(
        person.id,
        person.telegram_id,
        person.name,
        person.organisation,
        person.support_status,
        by,
    )
