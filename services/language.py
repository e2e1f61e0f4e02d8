"""The language a person chose for Sammen to speak with them."""

from __future__ import annotations

from kernel.context import Runtime
from kernel.texts import LANGUAGES
from services.unit_of_work import unit_of_work
from storage import people


async def set_language(runtime: Runtime, telegram_id: int, language: str) -> bool:
    """Keep the person's choice of language; False (and nothing kept) for one we do not speak."""
    if language not in LANGUAGES:
        return False
    async with unit_of_work(runtime) as session:
        await people.set_language(session, telegram_id, language)
    return True
