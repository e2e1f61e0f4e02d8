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


async def test_the_scale_benchmark_measures_every_size(tmp_path) -> None:
    from benchmarks import scale

    line = await scale.run((10, 20), tmp_path)
    assert re.fullmatch(
        r"scale rss_ratio=\d+\.\d\d list_p95_ratio=\d+\.\d\d publish_ms=\d+", line
    ), line


async def test_the_reminders_benchmark_misses_and_doubles_nothing(sqlite_url) -> None:
    from benchmarks import reminders

    line = await reminders.run(reminders.QUICK, sqlite_url)
    assert re.fullmatch(r"reminders p99_late_s=\d+\.\d missed=0 doubled=0", line), line


async def test_the_broadcast_benchmark_delivers_every_message_once(sqlite_url) -> None:
    from benchmarks import broadcast

    line = await broadcast.run(broadcast.QUICK, sqlite_url)
    assert re.fullmatch(
        rf"broadcast efficiency=\d+\.\d\d 429s=\d+ lost=0 duplicates=0 reply_p95_ratio={RATIO}",
        line,
    ), line
