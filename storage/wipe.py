"""Wiping erased bytes from the database files, and the durable note that a wipe is owed.

Deleting a row is not erasing it. SQLite (with secure_delete) zeroes the row in the page, but
the write-ahead log keeps the page as it was until a checkpoint copies the log in and empties
it. PostgreSQL leaves a deleted or updated row as a dead row version in the table file (one per
update: every answer during sign-up); plain VACUUM only marks the space free, the bytes stay.
VACUUM FULL writes the table and its indexes anew with only the live rows and drops the old
files.

Both can be held up: an SQLite checkpoint by a reader that still sees the old pages, PostgreSQL
by a transaction whose snapshot still sees the erased rows (VACUUM FULL copies such rows) or by
a lock on a table. A wipe then waits only briefly, says it did not finish, and is tried again:
the note in `wipes_owed` stays until one finishes.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage.engine import checkpoint_wal
from storage.models import (
    Citizen,
    CitizenNeeds,
    ConversationState,
    LateDeparture,
    OutboxMessage,
    Person,
    WipeOwed,
)

log = logging.getLogger(__name__)

# Every table that holds text about a person (names, phone numbers, e-mail addresses, what
# they wrote, messages sent to them). The others hold only ids, times and choices.
PERSONAL_TABLES: tuple[str, ...] = tuple(
    model.__tablename__
    for model in (Person, Citizen, CitizenNeeds, ConversationState, OutboxMessage, LateDeparture)
)
# How long VACUUM FULL waits for a table's lock: it queues ahead of everyone else's access to
# that table while it waits, so it must give up soon and try again later.
LOCK_TIMEOUT = "500ms"
# How long a wipe looks for a moment without other open transactions, and how often.
SNAPSHOT_WAIT = timedelta(seconds=1)
SNAPSHOT_TRIES = 10

# Transactions (other than this one) in this database whose snapshot or own writes may still
# see erased rows: VACUUM FULL keeps every row such a transaction could still read.
_OLDER_SNAPSHOTS = """
SELECT
    (SELECT count(*) FROM pg_stat_activity
     WHERE datname = current_database()
       AND pid <> pg_backend_pid()
       -- Another role's sessions show no backend_type to the bot, but do show their xmin.
       AND backend_type IS DISTINCT FROM 'autovacuum worker'
       AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL))
  + (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database())
"""


async def owe(session: AsyncSession, *, now: datetime) -> None:
    """Note, in the erasure's own transaction, that its bytes are still to be wiped."""
    session.add(WipeOwed(owed_since=now))
    await session.flush()


async def newest_owed(session: AsyncSession) -> int | None:
    """The newest note of a wipe owed, or None when nothing is owed."""
    newest: int | None = await session.scalar(select(func.max(WipeOwed.id)))
    return newest


async def settle(session: AsyncSession, *, up_to: int) -> None:
    """Forget the notes a finished wipe covered: every erasure committed before it started."""
    await session.execute(delete(WipeOwed).where(WipeOwed.id <= up_to))


async def wipe(engine: AsyncEngine) -> bool:
    """Overwrite what committed erasures left in the database files. True when it finished;
    False when something held it up for longer than a moment (then try again later)."""
    if engine.dialect.name == "sqlite":
        return await checkpoint_wal(engine)
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            return await _vacuum_full(autocommit)
    return False


async def _no_other_snapshots(connection: AsyncConnection) -> bool:
    """Whether, within SNAPSHOT_WAIT, a moment comes when no other transaction is open. The
    bot's own transactions (the outbox sender woken by the erasure itself) last milliseconds;
    a long read does not end within it, and the wipe job comes back later."""
    for attempt in range(SNAPSHOT_TRIES):
        if not await connection.scalar(text(_OLDER_SNAPSHOTS)):
            return True
        if attempt + 1 < SNAPSHOT_TRIES:
            await asyncio.sleep(SNAPSHOT_WAIT.total_seconds() / SNAPSHOT_TRIES)
    return False


async def _vacuum_full(connection: AsyncConnection) -> bool:
    if not await _no_other_snapshots(connection):
        # VACUUM FULL would finish and still copy the erased rows: not worth its locks now.
        return False
    finished = True
    await connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        for table in PERSONAL_TABLES:
            try:
                # VACUUM cannot run inside a transaction: this connection is in autocommit.
                await connection.exec_driver_sql(f'VACUUM (FULL) "{table}"')
            except DBAPIError as error:
                log.warning("Wipe: VACUUM FULL of %s did not finish (%s)", table, _code(error))
                finished = False
    finally:
        await connection.exec_driver_sql("RESET lock_timeout")
    if finished:
        await _checkpoint(connection)
    return finished


async def _checkpoint(connection: AsyncConnection) -> None:
    """Write every changed page out now, so the next WAL segments can be recycled sooner.
    Needs a superuser or pg_checkpoint (PostgreSQL 15); without them the server's own
    checkpoints do it within checkpoint_timeout, which the README states."""
    try:
        await connection.exec_driver_sql("CHECKPOINT")
    except DBAPIError as error:
        log.info("Wipe: no CHECKPOINT (%s); the server's own will follow", _code(error))


def _code(error: DBAPIError) -> str:
    """The SQLSTATE (or the error's type), never the message: messages may quote values."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(code or type(error.orig).__name__)
