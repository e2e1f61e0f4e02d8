"""The database engine, one session factory, and schema migrations at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

SessionFactory = async_sessionmaker[AsyncSession]

# How long an SQLite connection waits for a lock another connection holds, before giving up.
BUSY_TIMEOUT_MS = 10_000
# The WAL checkpoint waits only this long for readers: erasure must never stall everyone, and
# a checkpoint that could not finish is simply tried again later (storage.wipe).
CHECKPOINT_BUSY_TIMEOUT_MS = 200


def _prepare_sqlite_file(url: str) -> None:
    """Create the data folder, private to the bot's user: it holds health-adjacent data."""
    path = url.split(":///", 1)[1].split("?", 1)[0]
    if path and path != ":memory:":
        folder = Path(path).parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Erasure must remove the bytes, not only the row: secure_delete zeroes freed content.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL survives power loss as well as a killed process; the bot writes little.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own BEGIN is deferred; `_begin_immediately` emits the BEGIN instead.
    dbapi_connection.isolation_level = None


def _begin_immediately(connection: Connection) -> None:
    """Start SQLite transactions with the write lock taken. Updates from different chats run
    at once: a deferred transaction that read first and then writes fails at once with
    "database is locked" when another wrote meanwhile, while BEGIN IMMEDIATE waits its turn
    (busy_timeout) and then sees the other's changes."""
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str) -> AsyncEngine:
    """An engine for SQLite (aiosqlite) or PostgreSQL (asyncpg) from the same URL setting.

    Statement parameters are hidden from error messages: they carry names and phone numbers,
    and error messages end up in logs.
    """
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "connect", _no_implicit_begin)
        event.listen(engine.sync_engine, "begin", _begin_immediately)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; safe to run on every start."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def checkpoint_wal(engine: AsyncEngine) -> bool:
    """Fold SQLite's write-ahead log into the main file and empty it, so erased bytes go.

    True when it finished (or there is no SQLite write-ahead log); False when a reader still
    holds an older snapshot: the log then keeps the old pages until a later try. It waits for
    readers only CHECKPOINT_BUSY_TIMEOUT_MS, never the connection's usual busy timeout.
    """
    if engine.dialect.name != "sqlite":
        return True
    # Outside any transaction: a checkpoint cannot fold the log in under an open one, and
    # BEGIN IMMEDIATE would wait the full busy timeout for a writer.
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_TIMEOUT_MS}")
        try:
            result = await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, log_frames, checkpointed = tuple(result.one())
        finally:
            await autocommit.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # busy is 1 when a reader or writer stopped it; log and checkpointed are -1 without WAL.
    return busy == 0 and log_frames == checkpointed
