"""Storage rules on SQLite and PostgreSQL: leads keep little, consent comes first, erasure
keeps only the proof."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kernel.pseudonyms import pseudonym
from storage import consent, data_rights, people, stats, volunteers
from storage.consent import ConsentText
from storage.engine import SessionFactory
from storage.models import ConsentEvent, Person

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
KEY = b"test-key"
TEXT = ConsentText(
    purpose="volunteer_contact", version=1, sha256="ab" * 32, language="da", legal_basis="test"
)


async def visit(sessions: SessionFactory, telegram_id: int, **kwargs: object) -> people.PersonInfo:
    async with sessions.begin() as session:
        return await people.register_visit(
            session, telegram_id, now=NOW, is_configured_coordinator=False, **kwargs
        )


async def consented_volunteer(sessions: SessionFactory, telegram_id: int) -> None:
    await visit(sessions, telegram_id)
    async with sessions.begin() as session:
        await volunteers.grant_consent(
            session,
            telegram_id,
            text=TEXT,
            subject=pseudonym(telegram_id, KEY),
            name="Mette Hansen",
            now=NOW,
        )


async def test_a_first_visit_makes_a_lead_with_nothing_but_id_and_times(sessions) -> None:
    lead = await visit(sessions, 1001)

    assert lead.role == "lead"
    assert (lead.name, lead.phone, lead.email, lead.consent_version) == (None, None, None, None)
    assert lead.created_at == lead.last_seen_at


async def test_concurrent_first_visits_create_one_person(sessions) -> None:
    await asyncio.gather(*(visit(sessions, 1002) for _ in range(10)))

    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Person).where(Person.telegram_id == 1002)
        )
    assert count == 1


async def test_personal_data_cannot_be_written_before_consent(sessions) -> None:
    await visit(sessions, 1003)

    with pytest.raises(volunteers.NotConsented):
        async with sessions.begin() as session:
            await volunteers.set_phone(session, 1003, "+4520123456")

    async with sessions() as session:
        person = await people.find_person(session, 1003)
    assert person is not None and person.phone is None


async def test_consent_is_recorded_in_the_ledger_and_answers_are_kept(sessions) -> None:
    await consented_volunteer(sessions, 1004)
    async with sessions.begin() as session:
        await volunteers.set_phone(session, 1004, "+4520123456")
        interests = await volunteers.active_interests(session)
        assert await volunteers.toggle_interest(session, 1004, interests[0].id)
        await volunteers.toggle_day(session, 1004, 2)
        await volunteers.toggle_part(session, 1004, "evening")
        person = await volunteers.finish_availability(session, 1004)

    assert person.has_consented and person.name == "Mette Hansen"
    assert person.interest_ids == (interests[0].id,)
    assert (person.available_days, person.available_parts) == ((2,), ("evening",))
    async with sessions() as session:
        ledger = await consent.history(session, pseudonym(1004, KEY))
    assert [(row.action, row.text_version, row.age_confirmed) for row in ledger] == [
        ("granted", 1, True)
    ]


async def test_erasure_keeps_only_the_pseudonymous_proof_of_withdrawal(sessions) -> None:
    await consented_volunteer(sessions, 1005)
    subject = pseudonym(1005, KEY)

    async with sessions.begin() as session:
        erased = await data_rights.erase_person(
            session, 1005, subject=subject, actor="self", now=NOW + timedelta(days=1)
        )

    assert erased.erased and erased.departures == []
    async with sessions() as session:
        assert await people.find_person(session, 1005) is None
        ledger = await consent.history(session, subject)
        person_ids = (await session.execute(select(ConsentEvent.person_id))).scalars().all()
    assert [row.action for row in ledger] == ["granted", "withdrawn"]
    assert set(person_ids) == {None}


async def test_export_contains_the_persons_answers_and_consent_history(sessions) -> None:
    await consented_volunteer(sessions, 1006)
    async with sessions() as session:
        export = await data_rights.export_person(
            session, 1006, subject=pseudonym(1006, KEY), language="en"
        )

    assert export["person"]["name"] == "Mette Hansen"
    assert export["consent_history"][0]["action"] == "granted"


async def test_campaign_figures_count_each_stage_per_campaign(sessions) -> None:
    await visit(sessions, 2001)
    await consented_volunteer(sessions, 2002)
    async with sessions.begin() as session:
        await people.set_campaign_if_unknown(session, 2001, "facebook")
        await people.set_campaign_if_unknown(session, 2002, "facebook")
        await people.set_campaign_if_unknown(session, 2002, "later-link")
        figures = await stats.campaign_figures(session)

    assert [(f.campaign, f.leads, f.signing_up, f.volunteers) for f in figures] == [
        ("facebook", 1, 1, 0)
    ]
