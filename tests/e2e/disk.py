"""What a database holds on disk, byte for byte: an SQLite file and its write-ahead log, or a
PostgreSQL database's table and index files."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


def database_bytes(sqlite_url: str) -> bytes:
    path = Path(sqlite_url.split(":///", 1)[1])
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def still_on_disk(sqlite_url: str, secrets: list[str]) -> list[str]:
    """The secrets whose UTF-8 bytes are still in the database files."""
    content = database_bytes(sqlite_url)
    return [secret for secret in secrets if secret.encode() in content]


async def postgres_database_folder(postgres_url: str) -> Path:
    """The folder of this database's table, index and TOAST files (base/<oid> in the data
    directory), after a CHECKPOINT wrote every changed page into them. Needs a superuser on a
    server on this machine whose files the test process may read (as root); else a skip."""
    engine = create_async_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("CHECKPOINT")
            data_directory = await connection.scalar(text("SHOW data_directory"))
            oid = await connection.scalar(
                text("SELECT oid FROM pg_database WHERE datname = current_database()")
            )
    finally:
        await engine.dispose()
    folder = Path(str(data_directory)) / "base" / str(oid)
    if not os.access(folder, os.R_OK | os.X_OK):
        pytest.skip(f"the byte scan cannot read {folder}: run the tests as root or postgres")
    return folder


async def postgres_still_on_disk(postgres_url: str, secrets: list[str]) -> list[str]:
    """The secrets whose UTF-8 bytes are still in the database's table and index files. The
    write-ahead log (pg_wal) is not scanned: it keeps them until PostgreSQL recycles its
    segments, as the README says."""
    folder = await postgres_database_folder(postgres_url)
    content = b"".join(file.read_bytes() for file in sorted(folder.iterdir()) if file.is_file())
    return [secret for secret in secrets if secret.encode() in content]


async def still_stored(database_url: str, secrets: list[str]) -> list[str]:
    """The secrets still in the database files, on whichever database the URL names."""
    if database_url.startswith("sqlite"):
        return still_on_disk(database_url, secrets)
    return await postgres_still_on_disk(database_url, secrets)


@asynccontextmanager
async def a_long_read(database_url: str, table: str = "interests") -> AsyncIterator[None]:
    """Someone else's connection in the middle of a read that still sees every row as it was
    when it began: a backup, a report, an operator's query left open. It reads `table`, by
    default one without personal data: holding a snapshot is enough to hold a wipe up."""
    if database_url.startswith("sqlite"):
        reader = sqlite3.connect(database_url.split(":///", 1)[1])
        try:
            reader.execute("BEGIN")
            reader.execute(f"SELECT count(*) FROM {table}").fetchone()
            yield
        finally:
            reader.rollback()
            reader.close()
        return
    engine = create_async_engine(database_url, isolation_level="REPEATABLE READ")
    try:
        async with engine.connect() as connection:
            await connection.scalar(text(f"SELECT count(*) FROM {table}"))
            yield
            await connection.rollback()
    finally:
        await engine.dispose()


@asynccontextmanager
async def a_lock_held(postgres_url: str, table: str) -> AsyncIterator[None]:
    """Someone else's PostgreSQL transaction holding a lock on `table` without a snapshot (READ
    COMMITTED between statements): VACUUM FULL of it has to wait, and must not wait long."""
    engine = create_async_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'LOCK TABLE "{table}" IN ACCESS SHARE MODE')
            yield
            await connection.rollback()
    finally:
        await engine.dispose()
