"""The benchmarks run and count right; their speed figures are printed, never asserted."""

from __future__ import annotations

import re

from benchmarks.outbox import run


async def test_the_outbox_benchmark_delivers_every_message(sqlite_url) -> None:
    line = await run(40, sqlite_url)
    assert re.fullmatch(r"outbox messages=40 sent=40 seconds=\d+\.\d per_second=\d+\.\d", line), (
        line
    )


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
