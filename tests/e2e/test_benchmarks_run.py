"""The benchmarks run and count right; their speed figures are printed, never asserted."""

from __future__ import annotations

import re

from benchmarks import busy, reply
from benchmarks.outbox import QUICK_MESSAGES
from benchmarks.outbox import run as run_outbox

RATIO = r"(\d+\.\d\d|nan)"


async def test_the_outbox_benchmark_delivers_every_message_once(sqlite_url) -> None:
    line = await run_outbox(QUICK_MESSAGES, sqlite_url)
    assert re.fullmatch(r"outbox efficiency=\d+\.\d\d 429s=\d+ lost=0 duplicates=0", line), line


async def test_the_reply_benchmark_runs(sqlite_url) -> None:
    line = await reply.run(reply.QUICK, sqlite_url)
    assert re.fullmatch(
        rf"reply p95_ratio_20={RATIO} p95_ratio_50={RATIO} phone_p95_ratio={RATIO}", line
    ), line


async def test_the_busy_benchmark_runs(sqlite_url) -> None:
    line = await busy.run(busy.QUICK, sqlite_url)
    assert re.fullmatch(rf"busy outbox_ratio={RATIO} flood_ratio={RATIO}", line), line
