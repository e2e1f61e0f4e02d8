"""The audit log is append-only in the database itself, on SQLite and PostgreSQL: no UPDATE
or DELETE gets through, except an erased person's or activity's id becoming NULL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, text
from sqlalchemy.exc import DBAPIError

from storage import activities, audit, people
from storage.engine import SessionFactory
from storage.models import Person

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COORDINATOR, VOLUNTEER = 5151, 5252


async def a_logged_action(sessions: SessionFactory) -> None:
    """A coordinator started an activity (a draft is enough) about a volunteer."""
    async with sessions.begin() as session:
        coordinator = await people.register_visit(
            session, COORDINATOR, now=NOW, is_configured_coordinator=True
        )
        volunteer = await people.register_visit(
            session, VOLUNTEER, now=NOW, is_configured_coordinator=False
        )
        draft = await activities.start_draft(session, by=coordinator.id, now=NOW)
        await audit.record(
            session,
            actor_person_id=coordinator.id,
            action="activity_created",
            at=NOW,
            activity_id=draft.id,
            person_id=volunteer.id,
        )


async def log(sessions: SessionFactory) -> list[tuple]:
    async with sessions() as session:
        rows = await session.execute(
            text("SELECT action, actor_person_id, activity_id, person_id FROM audit_entries")
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'stepped_down'",
        "UPDATE audit_entries SET at = at",
        "UPDATE audit_entries SET actor_person_id = actor_person_id + 1",
        "UPDATE audit_entries SET person_id = NULL, action = 'x'",
        "DELETE FROM audit_entries",
    ],
)
async def test_the_log_refuses_changes_and_deletions(sessions, statement) -> None:
    await a_logged_action(sessions)
    before = await log(sessions)

    if statement.endswith("SET at = at"):
        # Writing a column's own value back changes nothing: allowed, and harmless.
        async with sessions.begin() as session:
            await session.execute(text(statement))
    else:
        with pytest.raises(DBAPIError, match="append-only"):
            async with sessions.begin() as session:
                await session.execute(text(statement))

    assert await log(sessions) == before


async def test_postgresql_refuses_truncating_the_log(sessions, database_url) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused above")
    await a_logged_action(sessions)

    with pytest.raises(DBAPIError, match="append-only"):
        async with sessions.begin() as session:
            await session.execute(text("TRUNCATE audit_entries"))

    assert len(await log(sessions)) == 1


async def test_erasing_people_and_activities_unlinks_the_entry_and_keeps_it(sessions) -> None:
    await a_logged_action(sessions)

    async with sessions.begin() as session:
        await session.execute(text("DELETE FROM activities"))
        await session.execute(delete(Person).where(Person.telegram_id == VOLUNTEER))
        await session.execute(delete(Person).where(Person.telegram_id == COORDINATOR))

    assert await log(sessions) == [("activity_created", None, None, None)]
