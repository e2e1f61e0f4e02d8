"""Conversation states survive restarts; retention forgets on schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kernel.pseudonyms import pseudonym
from storage import consent, conversations, people, retention, volunteers
from storage.consent import ConsentText

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TEXT = ConsentText("volunteer_contact", 1, "cd" * 32, "en", "test")


async def test_conversation_states_are_saved_replaced_and_forgotten(sessions) -> None:
    async with sessions.begin() as session:
        await conversations.save(session, "volunteer", (7, 7), "phone")
        await conversations.save(session, "volunteer", (7, 7), "email")
        await conversations.save(session, "volunteer", (8, 8), "name")
        await conversations.save(session, "volunteer", (8, 8), None)

    async with sessions() as session:
        assert await conversations.load(session, "volunteer") == {(7, 7): "email"}


async def test_stale_leads_and_inactive_volunteers_are_forgotten(sessions) -> None:
    async with sessions.begin() as session:
        for telegram_id in (1, 2, 3):
            await people.register_visit(
                session, telegram_id, now=NOW - timedelta(days=400), is_configured_coordinator=False
            )
        await people.register_visit(session, 4, now=NOW, is_configured_coordinator=False)
        await volunteers.grant_consent(
            session, 3, text=TEXT, subject=pseudonym(3, b"k"), name="Ali", now=NOW
        )

    async with sessions.begin() as session:
        leads = await retention.forget_stale_leads(session, seen_before=NOW - timedelta(days=30))
        erased = await retention.erase_inactive_volunteers(
            session, seen_before=NOW - timedelta(days=360), key=b"k", now=NOW
        )

    assert (leads, len(erased)) == (2, 1)
    async with sessions() as session:
        remaining = [await people.find_person(session, i) for i in (1, 2, 3, 4)]
        ledger = await consent.history(session, pseudonym(3, b"k"))
    assert [p.telegram_id if p else None for p in remaining] == [None, None, None, 4]
    assert [row.action for row in ledger] == ["granted", "withdrawn"]
    assert ledger[-1].actor == "retention"
