"""The Alembic migrations build exactly the schema the models describe, on both databases,
and the newest ones can be undone and done again."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage import people, volunteers
from storage.consent import ConsentText
from storage.engine import alembic_config
from storage.models import Base

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TEXT = ConsentText(
    purpose="volunteer_contact", version=1, sha256="ab" * 32, language="da", legal_basis="test"
)


def _differences(connection) -> list:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


async def test_the_migrated_schema_matches_the_models(engine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_the_newest_migrations_go_down_and_up_again(engine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0002"))
        await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
        assert await connection.run_sync(_differences) == []


async def test_interest_names_move_to_their_own_table_and_back(engine, sessions) -> None:
    """0007 copies every name into interest_names and back; no volunteer loses an interest."""
    async with sessions.begin() as session:
        await people.register_visit(session, 1001, now=NOW, is_configured_coordinator=False)
        await volunteers.grant_consent(
            session, 1001, text=TEXT, subject="subject", name="Mette", now=NOW
        )
        [walks, *_] = await volunteers.active_interests(session)
        await volunteers.toggle_interest(session, 1001, walks.id)
    links = "SELECT COUNT(*) FROM volunteer_interests"
    names = "SELECT language, name FROM interest_names WHERE interest_id = :id ORDER BY language"

    async with engine.begin() as connection:
        await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0006"))
        old = await connection.execute(
            text("SELECT slug, name_da, name_en FROM interests WHERE id = :id"), {"id": walks.id}
        )
        assert old.one() == ("walks", "Gåture", "Walks")
        assert await connection.scalar(text(links)) == 1
        await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
        new = await connection.execute(text(names), {"id": walks.id})
        assert new.all() == [("da", "Gåture"), ("en", "Walks")]
        assert await connection.scalar(text(links)) == 1
