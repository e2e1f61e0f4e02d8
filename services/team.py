"""The coordinator team: who is in it and what each did lately, handing over activities,
stepping down, removing a support person, and offering a volunteer the coordinator role.

Every action re-reads the person acting in its own unit of work and goes ahead only if they
are a coordinator now: a button drawn before they stepped down, or forged, changes nothing.
Each action writes its audit entry and the notices it causes in the same transaction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from kernel.buttons.team import OfferAnswer
from kernel.context import Runtime
from kernel.people import PersonInfo
from services import notices
from services.audit import AuditAction, record
from services.citizens import erase_all_of
from services.erasure import wipe_erased
from services.invitations import ask_new_coordinator
from services.unit_of_work import unit_of_work
from storage import bookings, consent, people, team
from storage.activities import ActivityInfo
from storage.team import Member, MemberPage, VolunteerPage

__all__ = [
    "LATELY",
    "PAGE_SIZE",
    "Answered",
    "HandedOver",
    "Member",
    "MemberPage",
    "Outcome",
    "VolunteerPage",
    "answer_offer",
    "coordinators",
    "hand_over",
    "members",
    "offer",
    "person",
    "remove_support_person",
    "step_down",
    "volunteers",
]

PAGE_SIZE = 8
# What "lately" means on /team.
LATELY = timedelta(days=30)

HANDED_OVER = "team_handed_over"
SUPPORT_REMOVED = "team_support_removed"
BOOKING_WITHDRAWN = "team_booking_withdrawn"
COORDINATOR_OFFER = "team_coordinator_offer"
OFFER_ANSWERED = "team_offer_answered"


class Outcome(enum.Enum):
    """What a team action came to."""

    DONE = "done"
    NOT_ALLOWED = "not_allowed"  # the presser is no coordinator (any more)
    NOT_FOUND = "not_found"  # the person is not (any more) what the button said
    LAST_COORDINATOR = "last_coordinator"
    FROM_SETTINGS = "from_settings"  # named in COORDINATOR_IDS: the operator decides


async def _coordinator_now(session: AsyncSession, person: PersonInfo) -> PersonInfo | None:
    found = await people.find_person(session, person.telegram_id)
    return found if found is not None and found.is_coordinator else None


async def members(runtime: Runtime, coordinator: PersonInfo, page: int) -> MemberPage | None:
    """One page of coordinators and support persons with what each did in the last LATELY;
    None for anyone but a coordinator."""
    async with unit_of_work(runtime) as session:
        if await _coordinator_now(session, coordinator) is None:
            return None
        return await team.members_page(
            session,
            page,
            size=PAGE_SIZE,
            since=runtime.clock.now() - LATELY,
            created=AuditAction.ACTIVITY_CREATED.value,
            changed=AuditAction.ACTIVITY_CHANGED.value,
        )


async def volunteers(runtime: Runtime, coordinator: PersonInfo, page: int) -> VolunteerPage | None:
    """One page of active volunteers to offer the role to; None for anyone but a coordinator."""
    async with unit_of_work(runtime) as session:
        if await _coordinator_now(session, coordinator) is None:
            return None
        return await team.volunteers_page(session, page, size=PAGE_SIZE)


async def person(runtime: Runtime, coordinator: PersonInfo, person_id: int) -> PersonInfo | None:
    """A person a coordinator asks about (to confirm an action); None for anyone else."""
    async with unit_of_work(runtime) as session:
        if await _coordinator_now(session, coordinator) is None:
            return None
        return await team.person_by_id(session, person_id)


def _name(found: PersonInfo | None) -> str | None:
    return found.name if found else None


def _text(runtime: Runtime, key: str, /, **values: object) -> notices.Render:
    """`key` in the recipient's language; a name that is None (a coordinator from the
    settings keeps no name) reads as "a coordinator"."""

    def render(language: str) -> str:
        someone = runtime.texts.get(language, "team.someone")
        named = {name: someone if value is None else value for name, value in values.items()}
        return runtime.texts.get(language, key, **named)

    return render


@dataclass(frozen=True)
class HandedOver:
    outcome: Outcome
    count: int = 0
    to_name: str = ""


async def hand_over(
    runtime: Runtime, coordinator: PersonInfo, from_id: int, to_id: int
) -> HandedOver:
    """The activities one coordinator answers for pass to another coordinator; both hear it
    (the one acting may be either)."""
    async with unit_of_work(runtime) as session:
        actor = await _coordinator_now(session, coordinator)
        if actor is None:
            return HandedOver(Outcome.NOT_ALLOWED)
        giver = await team.person_by_id(session, from_id)
        taker = await team.person_by_id(session, to_id)
        if (
            giver is None
            or taker is None
            or giver.id == taker.id
            or not giver.is_coordinator
            or not taker.is_coordinator
        ):
            return HandedOver(Outcome.NOT_FOUND)
        count = await team.hand_over(session, giver.id, taker.id, now=runtime.clock.now())
        await record(
            session, actor.id, AuditAction.HANDED_OVER, person_id=taker.id, runtime=runtime
        )
        stamp = f"{runtime.clock.now().isoformat()}:{giver.id}:{taker.id}"
        values = {"giver": _name(giver), "taker": _name(taker), "by": _name(actor)}
        await notices.owe(
            session,
            runtime,
            giver.telegram_id,
            _text(runtime, "team.notice.given", count=count, **values),
            kind=HANDED_OVER,
            dedupe_key=f"handover:from:{stamp}",
        )
        await notices.owe(
            session,
            runtime,
            taker.telegram_id,
            _text(runtime, "team.notice.taken", count=count, **values),
            kind=HANDED_OVER,
            dedupe_key=f"handover:to:{stamp}",
        )
        return HandedOver(Outcome.DONE, count, _name(taker) or "")


async def step_down(runtime: Runtime, coordinator: PersonInfo) -> Outcome:
    """The coordinator leaves the role; what they answered for passes to the team. The last
    coordinator cannot, nor one named in the settings (the operator decides about those)."""
    async with unit_of_work(runtime) as session:
        actor = await _coordinator_now(session, coordinator)
        if actor is None:
            return Outcome.NOT_ALLOWED
        if await team.coordinator_count(session) <= 1:
            return Outcome.LAST_COORDINATOR
        if actor.telegram_id in runtime.settings.coordinator_ids:
            return Outcome.FROM_SETTINGS
        await team.step_down(session, actor)
        await record(session, actor.id, AuditAction.STEPPED_DOWN, runtime=runtime)
        return Outcome.DONE


async def remove_support_person(
    runtime: Runtime, coordinator: PersonInfo, person_id: int
) -> Outcome:
    """A support person leaves: their bookings still ahead are cancelled (the coordinators who
    answer for each activity hear it), their citizens are erased, they lose the role and its
    details, and they are told."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        actor = await _coordinator_now(session, coordinator)
        if actor is None:
            return Outcome.NOT_ALLOWED
        removed = await team.person_by_id(session, person_id)
        if removed is None or not removed.is_support_person:
            return Outcome.NOT_FOUND
        ahead = await team.future_bookings_of(session, removed.id, now=now)
        per_activity: dict[int, int] = {}
        for booking in ahead:
            await bookings.cancel(
                session, booking.activity.id, booking.citizen_id, support_person_id=removed.id
            )
            per_activity[booking.activity.id] = per_activity.get(booking.activity.id, 0) + 1
        told: set[int] = set()
        for booking in ahead:
            activity = booking.activity
            if activity.id in told:
                continue
            told.add(activity.id)
            await notices.owe_many(
                session,
                runtime,
                await team.answering_for(session, activity),
                _withdrawn(runtime, activity, _name(removed) or "", per_activity[activity.id]),
                kind=BOOKING_WITHDRAWN,
                dedupe_prefix=f"withdrawn:{activity.id}:{removed.id}:{now.isoformat()}:",
            )
        await erase_all_of(session, runtime, removed, actor="coordinator")
        await consent.withdraw(
            session, subject=runtime.subject(removed.telegram_id), actor="coordinator", now=now
        )
        await team.drop_support_role(session, removed.id)
        await record(
            session,
            actor.id,
            AuditAction.SUPPORT_PERSON_REMOVED,
            person_id=removed.id,
            runtime=runtime,
        )
        await notices.owe(
            session,
            runtime,
            removed.telegram_id,
            notices.text(runtime, "team.notice.removed"),
            kind=SUPPORT_REMOVED,
            dedupe_key=f"removed:{removed.id}:{now.isoformat()}",
        )
    await wipe_erased(runtime)
    return Outcome.DONE


def _withdrawn(runtime: Runtime, activity: ActivityInfo, name: str, count: int) -> notices.Render:
    def render(language: str) -> str:
        return runtime.texts.get(
            language,
            "team.notice.bookings_withdrawn",
            name=name,
            title=activity.title or "",
            when=notices.when(runtime, activity, language),
            count=count,
        )

    return render


def _offer_buttons(runtime: Runtime) -> notices.RenderKeyboard:
    def render(language: str) -> dict[str, object]:
        buttons = [
            InlineKeyboardButton(
                runtime.texts.plain(language, key), callback_data=OfferAnswer(accept).pack()
            )
            for accept, key in ((True, "team.offer.accept"), (False, "team.offer.decline"))
        ]
        return InlineKeyboardMarkup([buttons]).to_dict()

    return render


async def offer(runtime: Runtime, coordinator: PersonInfo, volunteer_id: int) -> Outcome:
    """Offer an active volunteer the coordinator role; they become one only by accepting."""
    async with unit_of_work(runtime) as session:
        actor = await _coordinator_now(session, coordinator)
        if actor is None:
            return Outcome.NOT_ALLOWED
        volunteer = await team.person_by_id(session, volunteer_id)
        if volunteer is None or not await team.offer(session, volunteer_id, by=actor.id):
            return Outcome.NOT_FOUND
        await record(
            session,
            actor.id,
            AuditAction.COORDINATOR_OFFERED,
            person_id=volunteer_id,
            runtime=runtime,
        )
        await notices.owe(
            session,
            runtime,
            volunteer.telegram_id,
            _text(runtime, "team.offer.question", by=_name(actor)),
            kind=COORDINATOR_OFFER,
            keyboard=_offer_buttons(runtime),
            dedupe_key=f"offer:{volunteer_id}:{runtime.clock.now().isoformat()}",
        )
        return Outcome.DONE


class Answered(enum.Enum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_OFFER = "no_offer"


async def answer_offer(runtime: Runtime, person: PersonInfo, *, accept: bool) -> Answered:
    """The volunteer's answer to the open offer (read from the database, never the button);
    the coordinator who offered hears it."""
    async with unit_of_work(runtime) as session:
        now_stored = await people.find_person(session, person.telegram_id)
        if now_stored is None:
            return Answered.NO_OFFER
        offered_by = await team.answer_offer(session, now_stored.id, accept=accept)
        if offered_by is None:
            return Answered.NO_OFFER
        action = AuditAction.COORDINATOR_ACCEPTED if accept else AuditAction.COORDINATOR_DECLINED
        # A change of role: the volunteer's own answer, to a coordinator's offer.
        await record(session, now_stored.id, action, person_id=offered_by, runtime=runtime)
        if accept:
            await ask_new_coordinator(session, runtime, now_stored)
        offerer = await team.person_by_id(session, offered_by)
        if offerer is not None:
            key = "team.notice.accepted" if accept else "team.notice.declined"
            await notices.owe(
                session,
                runtime,
                offerer.telegram_id,
                _text(runtime, key, name=_name(now_stored)),
                kind=OFFER_ANSWERED,
                dedupe_key=f"offer-answer:{now_stored.id}:{runtime.clock.now().isoformat()}",
            )
        return Answered.ACCEPTED if accept else Answered.DECLINED


async def coordinators(runtime: Runtime, coordinator: PersonInfo) -> list[PersonInfo] | None:
    """Every coordinator, by name (a team is a handful); None for anyone but a coordinator."""
    async with unit_of_work(runtime) as session:
        if await _coordinator_now(session, coordinator) is None:
            return None
        everyone = await people.coordinators(session)
    return sorted(everyone, key=lambda found: ((found.name or "").lower(), found.id))
