"""A person's rights over their data: see all of it, and have it erased."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, citizens, consent, feedback, outbox, participation
from storage.models import (
    Activity,
    ConversationState,
    LateDeparture,
    Participation,
    Person,
    Role,
    VolunteerCall,
)
from storage.people import load_person, to_info
from storage.volunteers import interest_names


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export_person(
    session: AsyncSession, telegram_id: int, *, subject: str, language: str
) -> dict[str, Any]:
    """Everything stored about one person, as plain JSON-ready data."""
    person = await load_person(session, telegram_id)
    ledger = await consent.history(session, subject)
    # A person's own decisions carry no authority (only a citizen's do): left out, not null.
    consent_rows = [
        {**{k: v for k, v in asdict(row).items() if k != "authority" or v}, "at": _iso(row.at)}
        for row in ledger
    ]
    if person is None:
        return {"telegram_id": telegram_id, "person": None, "consent_history": consent_rows}
    info = to_info(person)
    conversations = await session.execute(
        ConversationState.__table__.select().where(ConversationState.user_id == telegram_id)
    )
    return {
        "telegram_id": info.telegram_id,
        "person": {
            "role": info.role,
            "language": info.language,
            "campaign": info.campaign,
            "created_at": _iso(info.created_at),
            "last_seen_at": _iso(info.last_seen_at),
            "consent_version": info.consent_version,
            "name": info.name,
            "phone": info.phone,
            "email": info.email,
            "interests": await interest_names(session, info.interest_ids, language),
            "available_weekdays": list(info.available_days),
            "available_parts_of_day": list(info.available_parts),
            "signup_completed_at": _iso(info.signup_completed_at),
            "organisation": info.organisation,
        },
        "activities": await _activities_of(session, info.id),
        "activities_you_created": await _activities_created_by(session, info.id),
        "your_actions_as_coordinator": await audit.export_of(session, info.id),
        "citizens_you_book_for": await citizens.export_of(session, info.id),
        "how_activities_went": await feedback.export_of(session, info.id),
        "messages": await _messages_to(session, info.id),
        "open_conversations": [
            {"conversation": row.name, "step": row.state} for row in conversations
        ],
        "consent_history": consent_rows,
    }


@dataclass(frozen=True)
class Erasure:
    """What erasing a person changed for others: each activity they left (a place may have
    gone to whoever waited; a late leave may have taken it below its minimum)."""

    erased: bool
    departures: list[participation.Departure]


async def _messages_to(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    """What the bot sent or still owes this person on its own initiative (the outbox)."""
    return [
        {
            "kind": row.kind,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "sent_at": _iso(row.sent_at),
        }
        for row in await outbox.rows(session, person_id=person_id)
    ]


async def _activities_of(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Activity.title, Activity.starts_at, Participation.status, Participation.created_at)
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Participation.person_id == person_id)
        .order_by(Activity.starts_at)
    )
    taken = [
        {"activity": title, "starts_at": _iso(starts), "status": status, "since": _iso(since)}
        for title, starts, status, since in rows
    ]
    late = await session.execute(
        select(Activity.title, LateDeparture.left_at, LateDeparture.reason)
        .join(Activity, Activity.id == LateDeparture.activity_id)
        .where(LateDeparture.person_id == person_id)
    )
    taken += [
        {"activity": title, "left_late_at": _iso(left), "reason_given": reason}
        for title, left, reason in late
    ]
    # Issue 12: the start confirmed from a reminder, calls received, activities left.
    confirmed = await session.execute(
        select(Activity.title, Participation.confirmed_for)
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Participation.person_id == person_id, Participation.confirmed_for.is_not(None))
    )
    taken += [
        {"activity": title, "confirmed_coming_for": _iso(starts)} for title, starts in confirmed
    ]
    calls = await session.execute(
        select(Activity.title, VolunteerCall.called_at, VolunteerCall.left_at)
        .join(Activity, Activity.id == VolunteerCall.activity_id)
        .where(VolunteerCall.person_id == person_id)
    )
    taken += [
        {"activity": title, "called_at": _iso(called), "left_at": _iso(left)}
        for title, called, left in calls
    ]
    return taken


async def _activities_created_by(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    """The activities a coordinator created and still answers for (handed over or passed to
    the team when they stepped down, they are someone else's; the audit log keeps that they
    created them)."""
    rows = await session.execute(
        select(
            Activity.id, Activity.title, Activity.status, Activity.starts_at, Activity.created_at
        )
        .where(Activity.created_by == person_id)
        .order_by(Activity.created_at, Activity.id)
    )
    return [
        {
            "activity_id": activity_id,
            "title": title,
            "status": status,
            "starts_at": _iso(starts),
            "created_at": _iso(created),
        }
        for activity_id, title, status, starts, created in rows
    ]


async def erase_person(
    session: AsyncSession,
    telegram_id: int,
    *,
    subject: str,
    actor: str,
    now: datetime,
) -> Erasure:
    """Erase a person's row, answers and conversation state; keep proof of the withdrawal.

    What stays is the consent ledger under the person's pseudonym: that they agreed, when, and
    that they withdrew, when. The person first leaves every activity, so seat counts stay
    true and a freed place goes to whoever waited.
    """
    person = await load_person(session, telegram_id)
    if person is None:
        return Erasure(False, [])
    joined = await session.execute(
        select(Participation.activity_id).where(Participation.person_id == person.id)
    )
    departures = [
        await participation.leave(session, activity_id, person.id, now=now)
        for activity_id in list(joined.scalars())
    ]
    # A support person's citizens go with them: nobody else may book for them.
    await citizens.remove_all_of(session, person.id, actor=actor, now=now)
    await consent.withdraw(session, subject=subject, actor=actor, now=now)
    await session.execute(delete(ConversationState).where(ConversationState.user_id == telegram_id))
    await session.delete(person)
    await session.flush()
    return Erasure(True, departures)


async def forget_lead(session: AsyncSession, telegram_id: int) -> None:
    """Forget a lead completely, e.g. someone under the age of digital consent."""
    await session.execute(
        delete(Person).where(Person.telegram_id == telegram_id, Person.role == Role.LEAD)
    )
    await session.execute(delete(ConversationState).where(ConversationState.user_id == telegram_id))
