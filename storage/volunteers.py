"""A volunteer's sign-up and profile. Nothing here writes before consent was granted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, String, cast, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import consent, consented, interests
from storage.consented import NotConsented
from storage.interests import InterestInfo
from storage.models import Interest, Participation, Person, Role, VolunteerInterest
from storage.people import PersonInfo, load_person

PARTS_OF_DAY = ("morning", "afternoon", "evening")


def part_of_day(moment: datetime, zone: ZoneInfo) -> str:
    hour = moment.astimezone(zone).hour
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


def _active_volunteer() -> list[ColumnElement[bool]]:
    return [
        Person.role == Role.VOLUNTEER,
        Person.consent_version.is_not(None),
        Person.signup_completed_at.is_not(None),
    ]


def _free_then(starts_at: datetime, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    """Free on that weekday and part of the day. Availability is stored as JSON lists of
    single digits 0-6 and of the three quoted part names, so a LIKE on the stored text is
    exact, and it is the same statement on SQLite and PostgreSQL (no JSON functions)."""
    day = starts_at.astimezone(zone).weekday()
    part = part_of_day(starts_at, zone)
    return [
        cast(Person.available_days, String).like(f"%{day}%"),
        cast(Person.available_parts, String).like(f'%"{part}"%'),
    ]


def audience(
    activity_id: int, interest_id: int | None, starts_at: datetime | None, *, zone: ZoneInfo
) -> Select[int, int, str | None] | None:
    """Active volunteers whose interests and free time match an activity and who are not on
    it yet, as (person id, Telegram id, language); None when nobody can match (no interest
    or time given). Chosen by the database: nothing is loaded per volunteer."""
    if interest_id is None or starts_at is None:
        return None
    likes_it = exists().where(
        VolunteerInterest.person_id == Person.id, VolunteerInterest.interest_id == interest_id
    )
    on_it = exists().where(
        Participation.person_id == Person.id, Participation.activity_id == activity_id
    )
    return select(Person.id, Person.telegram_id, Person.language).where(
        *_active_volunteer(), likes_it, *_free_then(starts_at, zone), ~on_it
    )


async def audience_size(
    session: AsyncSession,
    activity_id: int,
    interest_id: int | None,
    starts_at: datetime | None,
    *,
    zone: ZoneInfo,
) -> int:
    """How many volunteers `audience` chooses, counted by the database."""
    chosen = audience(activity_id, interest_id, starts_at, zone=zone)
    if chosen is None:
        return 0
    return await session.scalar(select(func.count()).select_from(chosen.subquery())) or 0


VOLUNTEERS = consented.ConsentedRole(Role.VOLUNTEER)
grant_consent = VOLUNTEERS.grant_consent
set_name = VOLUNTEERS.set_name
set_phone = VOLUNTEERS.set_phone
_reload = consented.reload


async def _update_consented(
    session: AsyncSession, telegram_id: int, **values: object
) -> PersonInfo:
    return await consented.write(session, telegram_id, Role.VOLUNTEER, **values)


async def set_email(session: AsyncSession, telegram_id: int, email: str | None) -> PersonInfo:
    """Store an e-mail address, or None when the person chose to skip it."""
    return await _update_consented(session, telegram_id, email=email, email_answered=True)


async def active_interests(session: AsyncSession) -> list[InterestInfo]:
    """The interests a volunteer can choose from, in the order they are shown."""
    return await interests.active(session)


async def toggle_interest(session: AsyncSession, telegram_id: int, interest_id: int) -> bool:
    """Add or remove one interest; False when the interest no longer exists or is retired."""
    interest = await session.get(Interest, interest_id)
    if interest is None or interest.retired_at is not None:
        return False
    person = await load_person(session, telegram_id)
    if person is None or not (person.role == Role.VOLUNTEER and person.consent_version):
        raise NotConsented("interests offered for a person without consent")
    existing = await session.get(VolunteerInterest, (person.id, interest_id))
    if existing is None:
        session.add(VolunteerInterest(person_id=person.id, interest_id=interest_id))
    else:
        await session.delete(existing)
    await session.flush()
    return True


async def finish_interests(session: AsyncSession, telegram_id: int) -> PersonInfo:
    return await _update_consented(session, telegram_id, interests_answered=True)


async def toggle_day(session: AsyncSession, telegram_id: int, weekday: int) -> PersonInfo:
    """Toggle a weekday, 0 = Monday."""
    if weekday not in range(7):
        raise ValueError("weekday must be 0-6")
    person = await _reload(session, telegram_id)
    days = set(person.available_days) ^ {weekday}
    return await _update_consented(session, telegram_id, available_days=sorted(days))


async def toggle_part(session: AsyncSession, telegram_id: int, part: str) -> PersonInfo:
    if part not in PARTS_OF_DAY:
        raise ValueError(f"part of day must be one of {PARTS_OF_DAY}")
    person = await _reload(session, telegram_id)
    parts = set(person.available_parts) ^ {part}
    ordered = [name for name in PARTS_OF_DAY if name in parts]
    return await _update_consented(session, telegram_id, available_parts=ordered)


async def finish_availability(session: AsyncSession, telegram_id: int) -> PersonInfo:
    return await _update_consented(session, telegram_id, availability_answered=True)


async def complete_signup(session: AsyncSession, telegram_id: int, *, now: datetime) -> PersonInfo:
    """The volunteer confirmed their summary: from now on they are active."""
    return await VOLUNTEERS.complete(session, telegram_id, now)


async def renew_consent(
    session: AsyncSession,
    telegram_id: int,
    *,
    text: consent.ConsentText,
    subject: str,
    now: datetime,
) -> PersonInfo:
    """A volunteer agreed to a newer consent text."""
    await _update_consented(session, telegram_id, consent_version=text.version)
    return await consented.grant(
        session, telegram_id, Role.VOLUNTEER, text=text, subject=subject, name=None, now=now
    )


async def interest_names(
    session: AsyncSession, interest_ids: tuple[int, ...], language: str
) -> list[str]:
    return await interests.names_in(session, interest_ids, language)
