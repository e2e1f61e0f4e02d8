"""`--demo`: a small Odense, seeded through the same storage functions the bot uses.

Seeding is idempotent: a demo person who exists already is left as they are, so running
`--demo` twice adds nobody twice. Each person is written in one transaction, so an interrupted
seed never leaves a half-made volunteer behind.

Volunteers and leads come from `seed_volunteers_and_leads`, group activities in Odense (with
demo volunteers already going) from `seed_activities`, and support persons with the citizens
they book for (first names only, as the bot keeps them) from `seed_citizens`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.pseudonyms import pseudonym
from playground.personas import COORDINATOR_PERSONA_ID, FAKE_PHONE_PREFIX, Fixed
from services import consent_texts as consent
from storage import (
    activities,
    bookings,
    citizens,
    participation,
    people,
    support_persons,
    volunteers,
)
from storage.consent import ConsentText
from storage.consented import ConsentedRole
from storage.models import Activity
from storage.people import PersonInfo

# Demo people's Telegram ids: apart from the personas (5 100 000 xxx) and new persons
# (5 300 000 xxx), so a demo person is never mistaken for either.
DEMO_VOLUNTEER_IDS_FROM = 5_200_000_001
DEMO_LEAD_IDS_FROM = 5_200_001_001
DEMO_SUPPORT_IDS_FROM = 5_200_002_001
CAMPAIGNS = ("facebook_odense", "biblioteket")


@dataclass(frozen=True)
class DemoVolunteer:
    name: str
    language: str
    campaign: str | None
    email: str | None
    interests: tuple[str, ...]  # interest slugs, as in the first migration
    days: tuple[int, ...]  # 0 = Monday
    parts: tuple[str, ...]
    joined_days_ago: int


VOLUNTEERS = (
    DemoVolunteer(
        "Mette Poulsen", "da", "facebook_odense", "mette.poulsen@example.dk",
        ("walks", "cafe"), (0, 2), ("afternoon",), 40,
    ),
    DemoVolunteer(
        "Ali Hassan", "da", "biblioteket", None,
        ("sports", "games"), (1, 3), ("evening",), 35,
    ),
    DemoVolunteer(
        "Søren Madsen", "da", None, "soeren.madsen@example.dk",
        ("nature", "walks"), (5, 6), ("morning",), 28,
    ),
    DemoVolunteer(
        "Fatima Ahmed", "da", "facebook_odense", None,
        ("crafts", "cooking"), (2,), ("afternoon", "evening"), 21,
    ),
    DemoVolunteer(
        "Jens Larsen", "da", None, "jens.larsen@example.dk",
        ("music", "culture"), (4,), ("evening",), 14,
    ),
    DemoVolunteer(
        "Ida Christensen", "da", "biblioteket", "ida.c@example.dk",
        ("cinema", "cafe"), (3, 5), ("afternoon", "evening"), 9,
    ),
    DemoVolunteer(
        "Mikkel Rasmussen", "da", "facebook_odense", None,
        ("sports", "nature"), (0, 1, 6), ("morning", "afternoon"), 5,
    ),
    DemoVolunteer(
        "Amina Yusuf", "en", "biblioteket", "amina.yusuf@example.dk",
        ("games", "crafts"), (1, 4), ("afternoon",), 2,
    ),
)  # fmt: skip

# People who opened a campaign link and have not consented: only the campaign is known.
LEADS = (("facebook_odense", 3), ("facebook_odense", 1), ("biblioteket", 6), (None, 2))


@dataclass(frozen=True)
class DemoActivity:
    title: str
    description: str
    interest: str  # slug
    place: str
    latitude: float
    longitude: float
    in_days: int
    at: time  # local wall-clock time
    minutes: int
    seats: int
    minimum: int
    maximum: int
    access: tuple[str, ...]
    weeks: int
    going: tuple[int, ...]  # indexes into VOLUNTEERS


ACTIVITIES = (
    DemoActivity(
        "Gåtur i Munke Mose", "Vi går en rolig tur rundt om søen og slutter med kaffe.",
        "walks", "Munke Mose, Odense C", 55.3937, 10.3806, 2, time(10, 0), 120, 4, 2, 4,
        ("step_free", "seating"), 1, (0, 2),
    ),
    DemoActivity(
        "Brætspil på Hovedbiblioteket", "Ludo, Uno og Alias i bibliotekets spillehjørne.",
        "games", "Odense Hovedbibliotek, Østre Stationsvej 15", 55.4017, 10.3870, 3,
        time(14, 0), 90, 6, 2, 3, ("toilet", "quiet_room"), 1, (1, 7, 5),
    ),
    DemoActivity(
        "Kaffe og kage i Kulturmaskinen", "Hyggeligt samvær over kaffe og hjemmebagt kage.",
        "cafe", "Kulturmaskinen, Farvergården 7, Odense", 55.3975, 10.3893, 5, time(15, 0),
        120, 8, 2, 5, ("step_free", "toilet"), 1, (5,),
    ),
    DemoActivity(
        "Koncert i Odeon", "Eftermiddagskoncert med Odense Symfoniorkester.",
        "music", "Odeon, Odeons Kvarter 1, Odense", 55.4001, 10.3915, 9, time(19, 30), 150,
        4, 3, 6, ("hearing_loop", "parking", "toilet"), 1, (4,),
    ),
    DemoActivity(
        "Vi laver mad sammen", "Vi laver en ret fra et nyt land hver uge og spiser sammen.",
        "cooking", "Ungdomshuset, Vindegade 59, Odense", 55.3958, 10.3822, 4, time(17, 0),
        150, 6, 2, 4, ("step_free",), 4, (3,),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoSupportPerson:
    name: str
    language: str
    workplace: str
    citizens: tuple[tuple[str, tuple[str, ...]], ...]  # first name, titles booked into


SUPPORT_PERSONS = (
    DemoSupportPerson(
        "Karin Mortensen", "da", "Bostedet Skovbo",
        (
            ("Anna", ("Gåtur i Munke Mose", "Kaffe og kage i Kulturmaskinen")),
            ("Bo", ("Gåtur i Munke Mose",)),
            ("Jonas", ("Brætspil på Hovedbiblioteket",)),
        ),
    ),
    DemoSupportPerson(
        "Peter Lund", "da", "Pårørende",
        (("Sofie", ("Brætspil på Hovedbiblioteket", "Koncert i Odeon")),),
    ),
)  # fmt: skip


def chat_people() -> list[Fixed]:
    """The demo volunteers and support persons as Telegram accounts, so the page can open
    their chats and show what the bot sends them."""
    people_with_chats = []
    for number, volunteer in enumerate(VOLUNTEERS):
        first, last = volunteer.name.split(" ", 1)
        people_with_chats.append(
            Fixed(
                DEMO_VOLUNTEER_IDS_FROM + number,
                first,
                last,
                _volunteer_phone(number),
                volunteer.language,
            )
        )
    for number, supporter in enumerate(SUPPORT_PERSONS):
        first, last = supporter.name.split(" ", 1)
        people_with_chats.append(
            Fixed(
                DEMO_SUPPORT_IDS_FROM + number,
                first,
                last,
                _support_phone(number),
                supporter.language,
            )
        )
    return people_with_chats


def _volunteer_phone(number: int) -> str:
    return f"{FAKE_PHONE_PREFIX}{number + 1:02d}"


def _support_phone(number: int) -> str:
    return f"{FAKE_PHONE_PREFIX}{71 + number}"


@dataclass(frozen=True)
class SeedResult:
    volunteers_added: int
    leads_added: int
    activities_added: int = 0
    citizens_added: int = 0


async def seed(runtime: Runtime) -> SeedResult:
    """Everything the demo holds; safe to run on every start with --demo."""
    people_added = await seed_volunteers_and_leads(runtime)
    activities_added = await seed_activities(runtime)
    return replace(
        people_added,
        activities_added=activities_added,
        citizens_added=await seed_citizens(runtime),
    )


async def seed_citizens(runtime: Runtime) -> int:
    """Support persons who registered and added the citizens they book for, with bookings
    into the demo activities. Returns how many citizens were added; a support person who
    exists already is left as they are."""
    now = runtime.clock.now()
    added = 0
    for number, supporter in enumerate(SUPPORT_PERSONS):
        telegram_id = DEMO_SUPPORT_IDS_FROM + number
        async with runtime.sessions.begin() as session:
            if await people.find_person(session, telegram_id) is not None:
                continue
            person = await _register_support_person(session, runtime, telegram_id, supporter)
            added_here = [
                await citizens.add(
                    session,
                    person.id,
                    name,
                    text=consent.CITIZEN.shown(runtime.texts, supporter.language, name=name),
                    now=now,
                )
                for name, _ in supporter.citizens
            ]
        added += len(added_here)
        for citizen, (_, titles) in zip(added_here, supporter.citizens, strict=True):
            for title in titles:
                async with runtime.sessions() as session:
                    activity_id = await _first_with_title(session, title)
                if activity_id is not None:
                    await bookings.book(
                        runtime.sessions,
                        activity_id,
                        citizen.id,
                        support_person_id=person.id,
                        now=now,
                    )
    return added


async def _first_with_title(session: AsyncSession, title: str) -> int | None:
    return await session.scalar(
        select(Activity.id).where(Activity.title == title).order_by(Activity.starts_at).limit(1)
    )


async def _consent_as(
    session: AsyncSession,
    runtime: Runtime,
    role: ConsentedRole,
    telegram_id: int,
    text: ConsentText,
    name: str,
    *,
    language: str,
    joined: datetime,
    campaign: str | None = None,
) -> None:
    """The first steps anyone clicks through: a visit (from a campaign link, maybe), the
    language, and consent to the real text of their role."""
    await people.register_visit(session, telegram_id, now=joined, is_configured_coordinator=False)
    if campaign:
        await people.set_campaign_if_unknown(session, telegram_id, campaign)
    await people.set_language(session, telegram_id, language)
    subject = pseudonym(telegram_id, runtime.pseudonym_key)
    await role.grant_consent(
        session, telegram_id, text=text, subject=subject, name=name, now=joined
    )


async def _register_support_person(
    session: AsyncSession, runtime: Runtime, telegram_id: int, supporter: DemoSupportPerson
) -> PersonInfo:
    """The registration a support person would click through, with the real consent text."""
    number = telegram_id - DEMO_SUPPORT_IDS_FROM
    joined = runtime.clock.now() - timedelta(days=20 - number)
    shown = consent.SUPPORT_PERSON.shown(
        runtime.texts,
        supporter.language,
        months=runtime.settings.volunteer_retention_months,
    )
    await _consent_as(
        session,
        runtime,
        support_persons.SUPPORT_PERSONS,
        telegram_id,
        shown,
        supporter.name,
        language=supporter.language,
        joined=joined,
    )
    await support_persons.set_phone(session, telegram_id, _support_phone(number))
    await support_persons.set_organisation(session, telegram_id, supporter.workplace)
    return await support_persons.complete_registration(session, telegram_id, now=joined)


async def seed_activities(runtime: Runtime) -> int:
    """Group activities in Odense over the coming days, planned by the coordinator persona,
    some with demo volunteers going (one full, one short of volunteers). Returns how many
    activities were published; a title already there is skipped."""
    zone = runtime.settings.zone
    now = runtime.clock.now()
    added = 0
    for planned in ACTIVITIES:
        async with runtime.sessions.begin() as session:
            if await _has_title(session, planned.title):
                continue
            coordinator = await people.find_person(session, COORDINATOR_PERSONA_ID)
            if coordinator is None:
                raise RuntimeError("seed activities after the bot has started")
            interest_ids = {i.slug: i.id for i in await volunteers.active_interests(session)}
            day = now.astimezone(zone).date() + timedelta(days=planned.in_days)
            draft = await activities.start_draft(session, by=coordinator.id, now=now)
            await activities.change(
                session, draft.id, by=coordinator.id, now=now,
                title=planned.title, description=planned.description,
                interest_id=interest_ids.get(planned.interest), place=planned.place,
                latitude=planned.latitude, longitude=planned.longitude, location_answered=True,
                starts_at=datetime.combine(day, planned.at, tzinfo=zone),
                duration_minutes=planned.minutes, citizen_seats=planned.seats,
                min_volunteers=planned.minimum, max_volunteers=planned.maximum,
                accessibility_answered=True, repeat_weeks=planned.weeks,
            )  # fmt: skip
            for key in planned.access:
                await activities.toggle_accessibility(
                    session, draft.id, key, by=coordinator.id, now=now
                )
            published = await activities.publish(
                session, draft.id, by=coordinator.id, now=now, zone=zone
            )
        for index in planned.going:
            async with runtime.sessions() as session:
                person = await people.find_person(session, DEMO_VOLUNTEER_IDS_FROM + index)
            if person is not None:
                await participation.wait(runtime.sessions, published[0].id, person.id, now=now)
        added += len(published)
    return added


async def _has_title(session: AsyncSession, title: str) -> bool:
    found = await session.scalar(select(Activity.id).where(Activity.title == title).limit(1))
    return found is not None


async def seed_volunteers_and_leads(runtime: Runtime) -> SeedResult:
    """About eight signed-up volunteers with Danish names, and a few leads, over two campaigns."""
    if not runtime.pseudonym_key:
        # The key is read at start-up; without it the ledger's pseudonyms would be unkeyed.
        raise RuntimeError("seed the demo after the bot has started")
    volunteers_added = 0
    for number, volunteer in enumerate(VOLUNTEERS):
        telegram_id = DEMO_VOLUNTEER_IDS_FROM + number
        phone = _volunteer_phone(number)
        async with runtime.sessions.begin() as session:
            if await people.find_person(session, telegram_id) is None:
                await _sign_up(session, runtime, telegram_id, volunteer, phone)
                volunteers_added += 1
    leads_added = 0
    for number, (campaign, days_ago) in enumerate(LEADS):
        telegram_id = DEMO_LEAD_IDS_FROM + number
        async with runtime.sessions.begin() as session:
            if await people.find_person(session, telegram_id) is None:
                now = runtime.clock.now() - timedelta(days=days_ago)
                await people.register_visit(
                    session, telegram_id, now=now, is_configured_coordinator=False
                )
                if campaign:
                    await people.set_campaign_if_unknown(session, telegram_id, campaign)
                leads_added += 1
    return SeedResult(volunteers_added, leads_added)


async def _sign_up(
    session: AsyncSession,
    runtime: Runtime,
    telegram_id: int,
    volunteer: DemoVolunteer,
    phone: str,
) -> None:
    """The sign-up a person would click through, step by step, with the real consent text."""
    joined = runtime.clock.now() - timedelta(days=volunteer.joined_days_ago)
    shown = consent.shown(
        runtime.texts,
        volunteer.language,
        retention_months=runtime.settings.volunteer_retention_months,
    )
    await _consent_as(
        session,
        runtime,
        volunteers.VOLUNTEERS,
        telegram_id,
        shown,
        volunteer.name,
        language=volunteer.language,
        joined=joined,
        campaign=volunteer.campaign,
    )
    await volunteers.set_phone(session, telegram_id, phone)
    await volunteers.set_email(session, telegram_id, volunteer.email)
    interest_ids = {i.slug: i.id for i in await volunteers.active_interests(session)}
    for slug in volunteer.interests:
        if slug in interest_ids:  # a coordinator may have retired it since
            await volunteers.toggle_interest(session, telegram_id, interest_ids[slug])
    await volunteers.finish_interests(session, telegram_id)
    for day in volunteer.days:
        await volunteers.toggle_day(session, telegram_id, day)
    for part in volunteer.parts:
        await volunteers.toggle_part(session, telegram_id, part)
    await volunteers.finish_availability(session, telegram_id)
    await volunteers.complete_signup(session, telegram_id, now=joined)
