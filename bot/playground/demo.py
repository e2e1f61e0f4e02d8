"""`--demo`: a small Odense, seeded through the same storage functions the bot uses.

Seeding is idempotent: a demo person who exists already is left as they are, so running
`--demo` twice adds nobody twice. Each person is written in one transaction, so an interrupted
seed never leaves a half-made volunteer behind.

Activities and citizens get their own `seed_activities`, called from `seed`, once their storage
exists; volunteers and leads are seeded by `seed_volunteers_and_leads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import consent
from bot.context import Runtime
from bot.playground.personas import FAKE_PHONE_PREFIX
from storage import people, volunteers
from storage.consent import pseudonym

# Demo people's Telegram ids: apart from the personas (5 100 000 xxx) and new persons
# (5 300 000 xxx), so no chat in the page is ever one of them.
DEMO_VOLUNTEER_IDS_FROM = 5_200_000_001
DEMO_LEAD_IDS_FROM = 5_200_001_001
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
class SeedResult:
    volunteers_added: int
    leads_added: int


async def seed(runtime: Runtime) -> SeedResult:
    """Everything the demo holds; safe to run on every start with --demo."""
    return await seed_volunteers_and_leads(runtime)


async def seed_volunteers_and_leads(runtime: Runtime) -> SeedResult:
    """About eight signed-up volunteers with Danish names, and a few leads, over two campaigns."""
    if not runtime.pseudonym_key:
        # The key is read at start-up; without it the ledger's pseudonyms would be unkeyed.
        raise RuntimeError("seed the demo after the bot has started")
    volunteers_added = 0
    for number, volunteer in enumerate(VOLUNTEERS):
        telegram_id = DEMO_VOLUNTEER_IDS_FROM + number
        phone = f"{FAKE_PHONE_PREFIX}{number + 1:02d}"
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
    await people.register_visit(session, telegram_id, now=joined, is_configured_coordinator=False)
    if volunteer.campaign:
        await people.set_campaign_if_unknown(session, telegram_id, volunteer.campaign)
    await people.set_language(session, telegram_id, volunteer.language)
    shown = consent.shown(
        runtime.texts,
        volunteer.language,
        retention_months=runtime.settings.volunteer_retention_months,
    )
    await volunteers.grant_consent(
        session,
        telegram_id,
        text=shown,
        subject=pseudonym(telegram_id, runtime.pseudonym_key),
        name=volunteer.name,
        now=joined,
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
