"""Who is writing: every update reads (and a first contact records) the person behind it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kernel.context import Runtime
from kernel.people import PersonInfo, new_lead
from kernel.texts import pick_language
from services.unit_of_work import unit_of_work
from storage import people
from storage.engine import only_reading

# How fresh a person's `last_seen_at` is kept. It only decides when data of people who stopped
# using Sammen is erased (after days or months), so a visit within this long of the stored
# one writes nothing: most updates come from people in the middle of a conversation, and
# each write is a commit to wait for (on SQLite, one writer at a time, each synced to disk).
SEEN_EVERY = timedelta(minutes=10)


async def register_visit(
    runtime: Runtime,
    telegram_id: int,
    *,
    telegram_language: str | None,
    new_lead_later: bool = False,
) -> PersonInfo:
    """The person behind an update, as stored now. A first contact becomes a lead (Telegram
    id and timestamps only); a coordinator named in the settings is one again.

    `first_contact` tells whether this is the person's first message: a visit always stores a
    language, and only a person stored before writing (a coordinator from the settings) has
    none yet.

    `new_lead_later`: someone never seen before is not recorded now but returned as the lead
    they will be (id 0), and `record_lead` must follow once they were answered. Only for an
    update whose handling writes nothing about the person (a plain /start)."""
    settings = runtime.settings
    now = runtime.clock.now()
    coordinator = telegram_id in settings.coordinator_ids
    async with runtime.sessions() as session:
        # Only a read: no transaction that waits for the write lock (SQLite's writers take
        # turns) when there is nothing to write, as for most updates.
        await only_reading(session)
        before = await people.find_person(session, telegram_id)
    if (
        before is not None
        and before.language is not None
        and not coordinator
        and timedelta(0) <= now - before.last_seen_at < SEEN_EVERY
    ):
        return before  # seen moments ago, language known: nothing to record
    language = pick_language(None, telegram_language, settings.default_language)
    if before is None and not coordinator and new_lead_later:
        return new_lead(telegram_id, now=now, language=language)
    if before is None and not coordinator:
        # Most first contacts: one statement, so the write lock is held only a moment.
        async with unit_of_work(runtime) as session:
            lead = await people.add_lead(session, telegram_id, now=now, language=language)
        if lead is not None:
            return lead
    async with unit_of_work(runtime) as session:
        before = await people.find_person(session, telegram_id)
        person = await people.register_visit(
            session,
            telegram_id,
            now=now,
            is_configured_coordinator=coordinator,
            language=language,
        )
    return replace(person, first_contact=before is None or before.language is None)


async def record_lead(runtime: Runtime, person: PersonInfo) -> None:
    """Store the lead `register_visit` returned without storing (unless they were stored
    meanwhile, by another bot process)."""
    async with unit_of_work(runtime) as session:
        await people.add_lead(
            session, person.telegram_id, now=person.created_at, language=person.language
        )


async def credit_campaign(runtime: Runtime, telegram_id: int, campaign: str) -> None:
    """Credit the first campaign link that brought a person; later links change nothing."""
    async with unit_of_work(runtime) as session:
        await people.set_campaign_if_unknown(session, telegram_id, campaign)
