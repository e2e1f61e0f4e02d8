"""The benchmarks run and count right; their speed figures are printed, never asserted."""

from __future__ import annotations

import re

from benchmarks.outbox import run


async def test_the_outbox_benchmark_delivers_every_message(sqlite_url) -> None:
    line = await run(40, sqlite_url)
    assert re.fullmatch(r"outbox messages=40 sent=40 seconds=\d+\.\d per_second=\d+\.\d", line), (
        line
    )
