"""Roles that are given, not claimed: invitation links, the setup link of a fresh
installation, a coordinator's registration by link, and support persons' requests.

A link carries a random token; only its SHA-256 is stored, so the database alone cannot open
any invitation. The first person to open a link holds it: a forwarded link is a used link.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from kernel.buttons.invitations import RequestChoice, RequestDecision
from kernel.context import Runtime
from kernel.people import PersonInfo, Role
from services import audit, consent_texts, notices
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import consented, invitations, people, support_persons
from storage.invitations import InvitationInfo
from storage.models import SupportStatus
from storage.people import find_person

__all__ = [
    "PREFIX",
    "Created",
    "InvitationInfo",
    "Opened",
    "RequestDecided",
    "RequestOutcome",
    "Revoked",
    "create",
    "decide_request",
    "finish_support_registration",
    "is_token",
    "issue_unlisted",
    "link",
    "open_invitations",
    "open_link",
    "record_coordinator_consent",
    "revoke",
    "setup_token",
]

log = logging.getLogger(__name__)

# Start parameters beginning with this are invitations; anything else is a campaign code.
# (A campaign code must therefore never begin with it.)
PREFIX = "inv_"
REQUEST = "support_request"
REQUEST_DECIDED = "support_request_decided"


def is_token(payload: str | None) -> bool:
    return bool(payload and payload.startswith(PREFIX) and len(payload) <= 64)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    # 24 URL-safe characters (144 random bits): fits Telegram's 64-character start parameter.
    return PREFIX + secrets.token_urlsafe(18)


def link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


# --- Creating -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    token: str
    invitation: InvitationInfo


async def create(
    runtime: Runtime, coordinator: PersonInfo | None, role: str, organisation: str | None = None
) -> Created | None:
    """A coordinator's new single-use invitation to `role` (coordinator or support person),
    valid for `invitation_valid_days`. None for anyone but a coordinator. (Audited: invitation
    created, by the coordinator, with the invitation's id.)"""
    if coordinator is None or not coordinator.is_coordinator:
        return None
    if role not in (Role.COORDINATOR, Role.SUPPORT):
        return None
    now = runtime.clock.now()
    token = _new_token()
    async with unit_of_work(runtime) as session:
        invitation = await invitations.create(
            session,
            token_sha256=_hash(token),
            role=role,
            organisation=organisation if role == Role.SUPPORT else None,
            created_by=coordinator.id,
            now=now,
            expires_at=now + timedelta(days=runtime.settings.invitation_valid_days),
        )
        await audit.record(session, coordinator.id, AuditAction.INVITATION_CREATED, runtime=runtime)
    return Created(token, invitation)


async def setup_token(runtime: Runtime) -> str | None:
    """On an installation without any coordinator: a fresh single-use setup link's token
    (any earlier one nobody used stops working). None when there is a coordinator."""
    if runtime.settings.coordinator_ids:
        return None
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        if await invitations.any_coordinator(session):
            return None
        await invitations.revoke_setup_links(session, now)
        return await _issue(session, runtime, Role.COORDINATOR)


async def _issue(
    session: AsyncSession, runtime: Runtime, role: str, organisation: str | None = None
) -> str:
    """A new link nobody created (the setup link; or a test's invitation): its token."""
    now = runtime.clock.now()
    token = _new_token()
    await invitations.create(
        session,
        token_sha256=_hash(token),
        role=role,
        organisation=organisation,
        created_by=None,
        now=now,
        expires_at=now + timedelta(days=runtime.settings.invitation_valid_days),
    )
    return token


async def issue_unlisted(runtime: Runtime, role: str, organisation: str | None = None) -> str:
    """An invitation made by the operator, not a coordinator (tests, scripts): its token."""
    async with unit_of_work(runtime) as session:
        return await _issue(session, runtime, role, organisation)


async def open_invitations(
    runtime: Runtime, coordinator: PersonInfo | None
) -> list[InvitationInfo]:
    """The invitations not used, revoked or expired yet (coordinators only)."""
    if coordinator is None or not coordinator.is_coordinator:
        return []
    async with unit_of_work(runtime) as session:
        return await invitations.open_ones(session, runtime.clock.now())


class Revoked(enum.Enum):
    REVOKED = "revoked"
    ALREADY = "already"  # used or revoked before
    REFUSED = "refused"


async def revoke(runtime: Runtime, coordinator: PersonInfo | None, invitation_id: int) -> Revoked:
    """Stop an invitation from working. (Audited: invitation revoked, by the coordinator.)"""
    if coordinator is None or not coordinator.is_coordinator:
        return Revoked.REFUSED
    async with unit_of_work(runtime) as session:
        found = await invitations.find(session, invitation_id)
        if found is None or found.created_by is None:
            return Revoked.ALREADY
        done = await invitations.revoke(session, invitation_id, runtime.clock.now())
        if done:
            await audit.record(
                session, coordinator.id, AuditAction.INVITATION_REVOKED, runtime=runtime
            )
    return Revoked.REVOKED if done else Revoked.ALREADY


# --- Opening --------------------------------------------------------------------------------


class Opened(enum.Enum):
    COORDINATOR = "coordinator"  # go on with the coordinator's registration
    SUPPORT = "support"  # go on with the support person's registration
    APPROVED = "approved"  # a support person waiting for approval: now approved
    ALREADY_HAS_ROLE = "already_has_role"
    NOT_FOR_ROLE = "not_for_role"  # e.g. a volunteer opening a support person's link
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    opened: Opened
    organisation: str | None = None


def _has_role(person: PersonInfo, role: str) -> bool:
    if role == Role.COORDINATOR:
        return person.is_coordinator
    return person.is_approved_support_person


def _may_take(person: PersonInfo, role: str) -> bool:
    if role == Role.COORDINATOR:
        return person.role == Role.LEAD
    return person.role in (Role.LEAD, Role.SUPPORT)


async def open_link(runtime: Runtime, telegram_id: int, token: str) -> Outcome:
    """Someone opened an invitation link. The first to open it holds it; anyone else, and
    any link used, revoked or expired, is told so and gets nothing. (Audited when it grants
    a role: invitation used, by whom.)"""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        found = await invitations.by_hash(session, _hash(token))
        person = await find_person(session, telegram_id)
        if found is None or person is None:
            return Outcome(Opened.UNKNOWN)
        mine = found.opened_by == person.id
        if found.used_at is not None:
            return Outcome(Opened.ALREADY_HAS_ROLE if mine else Opened.USED)
        if found.revoked_at is not None:
            return Outcome(Opened.REVOKED)
        if found.opened_at is not None and not mine:
            return Outcome(Opened.USED)
        if _has_role(person, found.role):
            return Outcome(Opened.ALREADY_HAS_ROLE)
        if not _may_take(person, found.role):
            return Outcome(Opened.NOT_FOR_ROLE)
        if not mine:
            if found.expires_at <= now:
                return Outcome(Opened.EXPIRED)
            if not await invitations.claim(session, found.id, person.id, now):
                return Outcome(Opened.USED)
        if found.role == Role.COORDINATOR:
            return Outcome(Opened.COORDINATOR)
        if person.is_registered_support_person:
            # Registered and waiting (or declined): the invitation is the approval.
            await invitations.use(session, found.id, person.id, now)
            await invitations.set_support_status(session, person.id, SupportStatus.APPROVED)
            await audit.record(session, person.id, AuditAction.JOINED_AS_SUPPORT, runtime=runtime)
            return Outcome(Opened.APPROVED)
        return Outcome(Opened.SUPPORT, found.organisation)


class Registered(enum.Enum):
    DONE = "done"
    NO_INVITATION = "no_invitation"  # used by someone else, or never opened
    REVOKED = "revoked"  # revoked after the person opened it


async def record_coordinator_consent(
    runtime: Runtime, telegram_id: int, language: str, name: str
) -> tuple[Registered, PersonInfo | None]:
    """The person who holds a coordinator invitation agreed to the coordinator consent text:
    they become a coordinator with the name they gave, and the invitation is spent.
    (Audited: invitation used / role given, coordinator, by the person's id.)"""
    now = runtime.clock.now()
    shown = consent_texts.COORDINATOR.shown(runtime.texts, language)
    async with unit_of_work(runtime) as session:
        person = await find_person(session, telegram_id)
        if person is None or person.role != Role.LEAD:
            return Registered.NO_INVITATION, person
        held = await invitations.held_by(session, person.id, Role.COORDINATOR, revoked_too=True)
        if held is not None and held.revoked_at is not None:
            return Registered.REVOKED, person
        if held is None or not await invitations.use(session, held.id, person.id, now):
            return Registered.NO_INVITATION, person
        await consented.grant(
            session,
            telegram_id,
            Role.COORDINATOR,
            text=shown,
            subject=runtime.subject(telegram_id),
            name=name,
            now=now,
        )
        await consented.write(session, telegram_id, Role.COORDINATOR, signup_completed_at=now)
        await audit.record(session, person.id, AuditAction.JOINED_AS_COORDINATOR, runtime=runtime)
        coordinator = await find_person(session, telegram_id)
        if coordinator is not None:
            await ask_new_coordinator(session, runtime, coordinator)
        return Registered.DONE, coordinator


# --- Support persons ------------------------------------------------------------------------


async def finish_support_registration(runtime: Runtime, telegram_id: int) -> PersonInfo:
    """The support person confirmed their details. Invited: they may book at once. Not
    invited: every coordinator is asked to approve or decline, and until then they wait.
    (Audited when approved by invitation: invitation used, by the person's id.)"""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        person = await support_persons.complete_registration(session, telegram_id, now=now)
        if person.support_status == SupportStatus.APPROVED:
            return person
        held = await invitations.held_by(session, person.id, Role.SUPPORT)
        if held is not None and await invitations.use(session, held.id, person.id, now):
            await invitations.set_support_status(session, person.id, SupportStatus.APPROVED)
            await audit.record(session, person.id, AuditAction.JOINED_AS_SUPPORT, runtime=runtime)
        elif person.support_status is None:
            await invitations.set_support_status(session, person.id, SupportStatus.PENDING)
            await _ask_coordinators(session, runtime, person)
        found = await find_person(session, telegram_id)
    assert found is not None
    return found


async def take_invited_organisation(session: AsyncSession, person: PersonInfo) -> PersonInfo:
    """Inside the consent's unit of work: the organisation named on the support person's
    invitation becomes theirs, so they are not asked for it."""
    held = await invitations.held_by(session, person.id, Role.SUPPORT)
    if held is None or not held.organisation or person.organisation:
        return person
    return await support_persons.set_organisation(session, person.telegram_id, held.organisation)


def _request_buttons(runtime: Runtime, person_id: int) -> notices.RenderKeyboard:
    def render(language: str) -> dict[str, object]:
        row = [
            InlineKeyboardButton(
                runtime.texts.plain(language, key),
                callback_data=RequestDecision(choice, person_id).pack(),
            )
            for choice, key in (
                (RequestChoice.APPROVE, "invitations.request.button.approve"),
                (RequestChoice.DECLINE, "invitations.request.button.decline"),
            )
        ]
        return InlineKeyboardMarkup([row]).to_dict()

    return render


async def _ask_coordinators(session: AsyncSession, runtime: Runtime, person: PersonInfo) -> None:
    for coordinator in await people.coordinators(session):
        await _ask(session, runtime, coordinator, person.id, person.name, person.organisation)


async def _ask(
    session: AsyncSession,
    runtime: Runtime,
    coordinator: PersonInfo,
    person_id: int,
    name: str | None,
    organisation: str | None,
) -> None:
    await notices.owe(
        session,
        runtime,
        coordinator.telegram_id,
        notices.text(
            runtime, "invitations.request.ask", name=name or "", organisation=organisation or ""
        ),
        kind=REQUEST,
        keyboard=_request_buttons(runtime, person_id),
        # Once per request and coordinator, however often they are asked to be told.
        dedupe_key=f"support_request:{person_id}:{coordinator.id}",
    )


async def ask_new_coordinator(
    session: AsyncSession, runtime: Runtime, coordinator: PersonInfo
) -> None:
    """Inside the caller's unit of work: a person who just became a coordinator is asked about
    the support persons still waiting, as the coordinators before them were, so no request
    hangs on coordinators who have since left."""
    for waiting in await invitations.pending_requests(session):
        await _ask(
            session, runtime, coordinator, waiting.person_id, waiting.name, waiting.organisation
        )


class RequestOutcome(enum.Enum):
    APPROVED = "approved"
    DECLINED = "declined"
    ALREADY_DECIDED = "already_decided"
    GONE = "gone"  # the person left Sammen meanwhile
    REFUSED = "refused"


@dataclass(frozen=True)
class RequestDecided:
    outcome: RequestOutcome
    name: str = ""
    # For ALREADY_DECIDED: the status that stands, and who decided (None: unknown).
    status: str | None = None
    by: str | None = None


async def decide_request(
    runtime: Runtime, coordinator: PersonInfo | None, button: RequestDecision
) -> RequestDecided:
    """A coordinator's answer to a support person's request: the first answer decides, and
    the person hears it; later presses are told who decided. (Audited: support person
    approved / declined, by the coordinator, with the support person's id.)"""
    if coordinator is None or not coordinator.is_coordinator:
        return RequestDecided(RequestOutcome.REFUSED)
    approve = button.choice is RequestChoice.APPROVE
    status = SupportStatus.APPROVED if approve else SupportStatus.DECLINED
    async with unit_of_work(runtime) as session:
        asked = await invitations.request(session, button.person_id)
        if asked is None or asked.status is None:
            return RequestDecided(RequestOutcome.GONE)
        name = asked.name or ""
        if not await invitations.decide_request(
            session, asked.person_id, status, by=coordinator.id
        ):
            return RequestDecided(
                RequestOutcome.ALREADY_DECIDED, name, status=asked.status, by=asked.decided_by
            )
        await audit.record(
            session,
            coordinator.id,
            AuditAction.APPROVAL_GRANTED if approve else AuditAction.APPROVAL_DECLINED,
            person_id=asked.person_id,
            runtime=runtime,
        )
        key = (
            "invitations.request.told_approved" if approve else "invitations.request.told_declined"
        )
        await notices.owe(
            session,
            runtime,
            asked.telegram_id,
            notices.text(runtime, key, name=name),
            kind=REQUEST_DECIDED,
            dedupe_key=f"support_request_decided:{asked.person_id}",
        )
    return RequestDecided(RequestOutcome.APPROVED if approve else RequestOutcome.DECLINED, name)
