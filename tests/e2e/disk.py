"""What an SQLite database holds on disk: the file and its write-ahead log, byte for byte."""

from __future__ import annotations

from pathlib import Path


def database_bytes(sqlite_url: str) -> bytes:
    path = Path(sqlite_url.split(":///", 1)[1])
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def still_on_disk(sqlite_url: str, secrets: list[str]) -> list[str]:
    """The secrets whose UTF-8 bytes are still in the database files."""
    content = database_bytes(sqlite_url)
    return [secret for secret in secrets if secret.encode() in content]
