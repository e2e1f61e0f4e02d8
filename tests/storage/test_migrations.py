"""The Alembic migrations build exactly the schema the models describe, on both databases,
and the newest ones can be undone and done again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.engine import alembic_config
from storage.models import Base


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
