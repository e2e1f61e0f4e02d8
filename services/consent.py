"""Renewing consent: a volunteer agrees to a newer version of the consent text."""

from __future__ import annotations

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import consent_texts
from services.unit_of_work import unit_of_work
from storage import volunteers


async def renew(runtime: Runtime, person: PersonInfo, language: str) -> PersonInfo:
    """Record agreement to the current consent text as shown in `language`; a person already
    on the current version is left as they are."""
    if (person.consent_version or 0) >= consent_texts.CURRENT_VERSION:
        return person
    shown = consent_texts.shown(
        runtime.texts, language, retention_months=runtime.settings.volunteer_retention_months
    )
    async with unit_of_work(runtime) as session:
        return await volunteers.renew_consent(
            session,
            person.telegram_id,
            text=shown,
            subject=runtime.subject(person.telegram_id),
            now=runtime.clock.now(),
        )
