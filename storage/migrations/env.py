"""Alembic environment: runs on the connection the bot hands over, or on DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_environment() -> None:
    from kernel.config import Settings
    from storage.engine import create_engine

    url = os.environ.get("DATABASE_URL") or Settings().database_url

    async def run() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(run())


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    _run_from_environment()
