"""`python -m launcher` without a token: run the playground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bot import app as bot_app
from kernel.config import Settings
from playground.assembly import Playground, PortUnavailable, start_playground


@contextmanager
def _stop_signals() -> Iterator[asyncio.Event]:
    """An event set by Ctrl-C or SIGTERM, caught from the start: a stop during start-up then
    shuts down cleanly instead of ending in a traceback."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        yield stop
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def startup_lines(playground: Playground) -> list[str]:
    lines = [
        f"Sammen playground: open {playground.url}",
        f"  the real bot on {playground.database}, talking to a local Bot API server.",
        "  Set TELEGRAM_BOT_TOKEN to run on Telegram instead. Ctrl-C stops.",
    ]
    if playground.seeded is not None:
        added = playground.seeded
        lines.append(
            f"  Demo data: {added.volunteers_added} volunteers, {added.leads_added} leads, "
            f"{added.activities_added} activities and {added.citizens_added} citizens booked by "
            "their support persons added (what was already there was kept)."
        )
    return lines


async def run_playground(settings: Settings, *, demo: bool = False) -> int:
    """Serve the page and run the bot until a stop signal; 2 when the port cannot be used."""
    with _stop_signals() as stop:
        try:
            playground = await start_playground(settings, demo_data=demo)
        except PortUnavailable as problem:
            print(problem, file=sys.stderr)
            return 2
        bot_app.keep_what_lives_as_long_as_the_process()
        try:
            print("\n".join(startup_lines(playground)), flush=True)
            await stop.wait()
        finally:
            await playground.stop()
    return 0
