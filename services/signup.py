"""Signing up: a volunteer's sign-up and /profile, and a support person's registration.

Each answer is one unit of work, written as it comes so that a restart continues where the
person was. Nothing is written before consent: recording consent is what turns a lead into a
volunteer or a support person (with the name they gave, held in memory until then).
"""

from __future__ import annotations

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import consent_texts, invitations
from services.unit_of_work import unit_of_work
from storage import data_rights, support_persons, volunteers, wipe
from storage.interests import InterestInfo
from storage.people import find_person

__all__ = [
    "InterestInfo",
    "finish_availability",
    "finish_interests",
    "finish_registration",
    "finish_signup",
    "forget_lead",
    "record_support_consent",
    "record_volunteer_consent",
    "save_email",
    "save_name",
    "save_organisation",
    "save_phone",
    "save_support_name",
    "save_support_phone",
    "toggle_day",
    "toggle_interest",
    "toggle_part",
]


# --- The volunteer --------------------------------------------------------------------------


async def record_volunteer_consent(
    runtime: Runtime, telegram_id: int, language: str, name: str | None
) -> PersonInfo:
    """The lead agreed to the volunteer consent text shown in `language`: record exactly what
    they were shown, and make them a volunteer with the name they gave."""
    shown = consent_texts.shown(
        runtime.texts, language, retention_months=runtime.settings.volunteer_retention_months
    )
    async with unit_of_work(runtime) as session:
        return await volunteers.grant_consent(
            session,
            telegram_id,
            text=shown,
            subject=runtime.subject(telegram_id),
            name=name,
            now=runtime.clock.now(),
        )


async def forget_lead(runtime: Runtime, telegram_id: int) -> None:
    """Forget a lead completely (someone under the age of digital consent)."""
    async with unit_of_work(runtime) as session:
        await data_rights.forget_lead(session, telegram_id)
        # Forgetting is erasing: the wipe job overwrites what is left in the database files.
        await wipe.owe(session, now=runtime.clock.now())


async def save_name(runtime: Runtime, telegram_id: int, name: str) -> PersonInfo:
    """A consented volunteer's name."""
    async with unit_of_work(runtime) as session:
        return await volunteers.set_name(session, telegram_id, name)


async def save_phone(runtime: Runtime, telegram_id: int, phone_e164: str) -> PersonInfo:
    """A consented volunteer's phone number."""
    async with unit_of_work(runtime) as session:
        return await volunteers.set_phone(session, telegram_id, phone_e164)


async def save_email(runtime: Runtime, telegram_id: int, email: str | None) -> PersonInfo:
    """A consented volunteer's e-mail address, or None when they chose to skip it."""
    async with unit_of_work(runtime) as session:
        return await volunteers.set_email(session, telegram_id, email)


async def toggle_interest(
    runtime: Runtime, telegram_id: int, interest_id: int
) -> tuple[bool, PersonInfo]:
    """Choose or unchoose an interest; False when it is not (or no longer) offered."""
    async with unit_of_work(runtime) as session:
        known = await volunteers.toggle_interest(session, telegram_id, interest_id)
        person = await find_person(session, telegram_id)
    assert person is not None
    return known, person


async def finish_interests(runtime: Runtime, telegram_id: int) -> PersonInfo:
    """The volunteer is done choosing interests."""
    async with unit_of_work(runtime) as session:
        return await volunteers.finish_interests(session, telegram_id)


async def toggle_day(runtime: Runtime, telegram_id: int, weekday: int) -> PersonInfo:
    """A weekday (0 is Monday) the volunteer can help on, on or off."""
    async with unit_of_work(runtime) as session:
        return await volunteers.toggle_day(session, telegram_id, weekday)


async def toggle_part(runtime: Runtime, telegram_id: int, part: str) -> PersonInfo:
    """A part of the day (morning, afternoon, evening) the volunteer can help in, on or off."""
    async with unit_of_work(runtime) as session:
        return await volunteers.toggle_part(session, telegram_id, part)


async def finish_availability(runtime: Runtime, telegram_id: int) -> PersonInfo:
    """The volunteer is done choosing when they can help."""
    async with unit_of_work(runtime) as session:
        return await volunteers.finish_availability(session, telegram_id)


async def finish_signup(runtime: Runtime, telegram_id: int) -> PersonInfo:
    """The volunteer confirmed their summary: from now on they are active."""
    async with unit_of_work(runtime) as session:
        return await volunteers.complete_signup(session, telegram_id, now=runtime.clock.now())


# --- The support person ---------------------------------------------------------------------


async def record_support_consent(
    runtime: Runtime, telegram_id: int, language: str, name: str
) -> PersonInfo:
    """The lead agreed to the support person's consent text shown in `language`."""
    shown = consent_texts.SUPPORT_PERSON.shown(
        runtime.texts, language, months=runtime.settings.volunteer_retention_months
    )
    async with unit_of_work(runtime) as session:
        person = await support_persons.grant_consent(
            session,
            telegram_id,
            text=shown,
            subject=runtime.subject(telegram_id),
            name=name,
            now=runtime.clock.now(),
        )
        return await invitations.take_invited_organisation(session, person)


async def save_support_name(runtime: Runtime, telegram_id: int, name: str) -> PersonInfo:
    """A consented support person's name."""
    async with unit_of_work(runtime) as session:
        return await support_persons.set_name(session, telegram_id, name)


async def save_support_phone(runtime: Runtime, telegram_id: int, phone_e164: str) -> PersonInfo:
    """A consented support person's phone number."""
    async with unit_of_work(runtime) as session:
        return await support_persons.set_phone(session, telegram_id, phone_e164)


async def save_organisation(runtime: Runtime, telegram_id: int, organisation: str) -> PersonInfo:
    """Where a support person works (or that they are a relative)."""
    async with unit_of_work(runtime) as session:
        return await support_persons.set_organisation(session, telegram_id, organisation)


async def finish_registration(runtime: Runtime, telegram_id: int) -> PersonInfo:
    """The support person confirmed their details: invited, they can now add citizens and
    book; otherwise the coordinators are asked to approve them (services.invitations)."""
    return await invitations.finish_support_registration(runtime, telegram_id)
