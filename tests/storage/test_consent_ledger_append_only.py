"""The consent ledger is append-only in the database itself, on SQLite and PostgreSQL: no
UPDATE or DELETE gets through, except erasure unlinking a person's rows from their deleted
`people` row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kernel.pseudonyms import pseudonym
from storage import consent, data_rights, people, volunteers
from storage.consent import ConsentText
from storage.engine import SessionFactory

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
KEY = b"test-key"
TEXT = ConsentText(
    purpose="volunteer_contact", version=1, sha256="ab" * 32, language="da", legal_basis="test"
)
TELEGRAM_ID = 4242


async def a_consented_volunteer(sessions: SessionFactory) -> str:
    subject = pseudonym(TELEGRAM_ID, KEY)
    async with sessions.begin() as session:
        await people.register_visit(session, TELEGRAM_ID, now=NOW, is_configured_coordinator=False)
    async with sessions.begin() as session:
        await volunteers.grant_consent(
            session, TELEGRAM_ID, text=TEXT, subject=subject, name="Mette Hansen", now=NOW
        )
    return subject


async def ledger(sessions: SessionFactory) -> list[tuple]:
    async with sessions() as session:
        rows = await session.execute(
            text("SELECT subject, action, text_sha256, person_id FROM consent_events ORDER BY id")
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consent_events SET action = 'withdrawn'",
        "UPDATE consent_events SET text_sha256 = 'cd'",
        "UPDATE consent_events SET subject = 'someone-else'",
        "UPDATE consent_events SET person_id = NULL, actor = 'nobody'",
        "DELETE FROM consent_events",
    ],
)
async def test_the_ledger_refuses_changes_and_deletions(sessions, statement) -> None:
    await a_consented_volunteer(sessions)
    before = await ledger(sessions)

    with pytest.raises(DBAPIError, match="append-only"):
        async with sessions.begin() as session:
            await session.execute(text(statement))

    assert await ledger(sessions) == before


async def test_postgresql_refuses_truncating_the_ledger(sessions, database_url) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused above")
    await a_consented_volunteer(sessions)

    with pytest.raises(DBAPIError, match="append-only"):
        async with sessions.begin() as session:
            await session.execute(text("TRUNCATE consent_events"))

    assert len(await ledger(sessions)) == 1


async def test_erasure_unlinks_the_rows_and_appends_the_withdrawal(sessions) -> None:
    subject = await a_consented_volunteer(sessions)
    [(_, _, _, person_id)] = await ledger(sessions)
    assert person_id is not None

    async with sessions.begin() as session:
        erasure = await data_rights.erase_person(
            session, TELEGRAM_ID, subject=subject, actor="self", now=NOW
        )

    assert erasure.erased
    assert await ledger(sessions) == [
        (subject, "granted", TEXT.sha256, None),
        (subject, "withdrawn", TEXT.sha256, None),
    ]


async def test_appending_still_works(sessions) -> None:
    subject = await a_consented_volunteer(sessions)

    async with sessions.begin() as session:
        await consent.withdraw(session, subject=subject, actor="self", now=NOW)

    assert [row[1] for row in await ledger(sessions)] == ["granted", "withdrawn"]
