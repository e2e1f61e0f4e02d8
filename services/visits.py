"""Who is writing: every update reads (and a first contact records) the person behind it."""

from __future__ import annotations

from dataclasses import replace

from kernel.context import Runtime
from kernel.people import PersonInfo
from kernel.texts import pick_language
from services.unit_of_work import unit_of_work
from storage import people


async def register_visit(
    runtime: Runtime, telegram_id: int, *, telegram_language: str | None
) -> PersonInfo:
    """The person behind an update, as stored now. A first contact becomes a lead (Telegram
    id and timestamps only); a coordinator named in the settings is one again.

    `first_contact` tells whether this is the person's first message: a visit always stores a
    language, and only a person stored before writing (a coordinator from the settings) has
    none yet."""
    settings = runtime.settings
    async with unit_of_work(runtime) as session:
        before = await people.find_person(session, telegram_id)
        person = await people.register_visit(
            session,
            telegram_id,
            now=runtime.clock.now(),
            is_configured_coordinator=telegram_id in settings.coordinator_ids,
            language=pick_language(None, telegram_language, settings.default_language),
        )
    return replace(person, first_contact=before is None or before.language is None)


async def credit_campaign(runtime: Runtime, telegram_id: int, campaign: str) -> None:
    """Credit the first campaign link that brought a person; later links change nothing."""
    async with unit_of_work(runtime) as session:
        await people.set_campaign_if_unknown(session, telegram_id, campaign)
