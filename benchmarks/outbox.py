"""How fast, and how exactly, the outbox delivers a burst of messages owed to many people, e.g.
a cancelled activity with a long list, or reminders for a busy weekend.

    python -m benchmarks.outbox [--messages 600] [--quick] [--database-url URL]

Runs the real bot against the local Bot API server enforcing Telegram's limits (30 sends in
any one second, see local_bot_api/flood.py), with every 100th send answered only after 6 s,
on a temporary SQLite file or the database a URL names (it is migrated and written to: point
it at a throw-away database). Every message is enqueued in one transaction while the sender
is paused, then let go; what arrives at the server is counted. Efficiency is the rate the
messages arrived at, against the 30 a second allowed (a second for the last window counted).
The last line is exactly:
    outbox efficiency=<x.xx> 429s=<n> lost=<n> duplicates=<n>
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

from pydantic import SecretStr

from benchmarks.lanes_common import owe_many
from bot import app as bot_app
from kernel.config import Settings
from local_bot_api import ChatEvent, LocalBotApi
from local_bot_api.flood import BOT_PER_SECOND
from scheduler.outbox import sender_of
from storage import outbox

SLOW_EVERY = 100
SLOW_SECONDS = 6.0
QUICK_MESSAGES = 40
# Enough for every message at the allowed rate, with room for slow answers.
PATIENCE = 60.0


async def run(messages: int, database_url: str) -> str:
    api = LocalBotApi(enforce_limits=True)
    api.slow_every("sendMessage", SLOW_EVERY, SLOW_SECONDS)
    await api.start()
    settings = Settings(
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        database_url=database_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    application = bot_app.build_application(settings)
    await bot_app.start(application, poll_timeout=1)
    users = [api.user(f"Person {number}") for number in range(messages)]
    wanted = {user.id for user in users}
    arrived: list[float] = []
    received: Counter[int] = Counter()

    def count(event: ChatEvent) -> None:
        if event.kind == "message" and event.message is not None and event.message.from_bot:
            if event.chat_id in wanted:
                received[event.chat_id] += 1
                arrived.append(time.perf_counter())

    api.subscribe(count)
    try:
        runtime = bot_app.runtime_of(application)
        async with sender_of(application).paused():
            await owe_many(application, [user.id for user in users])
        async with asyncio.timeout(PATIENCE + messages / BOT_PER_SECOND):
            while True:
                async with runtime.sessions() as session:
                    if await outbox.pending_count(session) == 0:
                        break
                await asyncio.sleep(0.2)
    finally:
        await bot_app.stop(application)
        await api.stop()
    delivered = len(received)
    seconds = arrived[-1] - arrived[0] if arrived else 0.0
    efficiency = sum(received.values()) / (BOT_PER_SECOND * (seconds + 1.0)) if arrived else 0.0
    print(f"messages={messages} delivered={delivered} seconds={seconds:.1f}")
    return (
        f"outbox efficiency={efficiency:.2f} 429s={api.too_many_requests} "
        f"lost={messages - delivered} duplicates={sum(received.values()) - delivered}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_MESSAGES} messages")
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    messages = QUICK_MESSAGES if arguments.quick else arguments.messages
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        print(asyncio.run(run(messages, url)))


if __name__ == "__main__":
    main()
