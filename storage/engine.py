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

# An execution option: the connection's transaction only reads (see `only_reading`).
_ONLY_READING = "sammen_only_reading"

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
    (busy_timeout) and then sees the other's changes. A session that only reads begins none
    (`only_reading`)."""
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT" or options.get(_ONLY_READING):
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _skip_idle_rollbacks(engine: AsyncEngine) -> None:
    """Roll back only what SQLite has open. SQLAlchemy rolls back when a session that only
    read ends, and again when a connection goes back to the pool; with aiosqlite each is a
    call into the connection's thread, and a reply waits for them (several per update)."""
    dialect = engine.sync_engine.dialect
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        # The pool hands over its proxy; the driver's connection is behind it.
        adapted = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        driver = adapted._connection  # aiosqlite's; its sqlite3 connection may be closed
        if driver._connection is not None and not driver.in_transaction:
            return
        rollback(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]


async def only_reading(session: AsyncSession) -> None:
    """Declare, before its first statement, that this session only reads: it then waits for
    no writer. On SQLite it begins no transaction (every statement sees the newest committed
    data, and the write lock is not taken); on PostgreSQL it runs in autocommit. Cheaper on
    SQLite than switching the connection to autocommit and back (two more calls into the
    driver's thread)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.connection(execution_options={_ONLY_READING: True})
    else:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


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
        _skip_idle_rollbacks(engine)
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
