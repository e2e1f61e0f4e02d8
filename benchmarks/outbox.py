"""How fast the outbox delivers a burst of messages owed to many people, e.g. a cancelled
activity with a long list, or reminders for a busy weekend.

    python -m benchmarks.outbox [--messages 300] [--database-url URL]

Runs the real bot (python-telegram-bot with its rate limiter) against the local Bot API
server, on a temporary SQLite file or the database a URL names (it is migrated and written
to: point it at a throw-away database). Every message is enqueued in one transaction, then
one sender pass delivers them. Telegram allows a bot about 30 messages a second to different
chats, so that is the ceiling to expect. The last line is exactly:
    outbox messages=<n> sent=<n> seconds=<s> per_second=<r>
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from bot import app as bot_app
from kernel.config import Settings
from local_bot_api import LocalBotApi
from scheduler.outbox import sender_of
from services import notices
from storage import people


async def run(messages: int, database_url: str) -> str:
    api = LocalBotApi()
    await api.start()
    settings = Settings(
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        database_url=database_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    application = bot_app.build_application(settings)
    await bot_app.start(application, poll_timeout=1)
    try:
        runtime = bot_app.runtime_of(application)
        users = [api.user(f"Person {number}") for number in range(messages)]
        now = runtime.clock.now()
        async with runtime.sessions.begin() as session:
            for user in users:
                await people.register_visit(
                    session, user.id, now=now, is_configured_coordinator=False
                )
                await notices.owe(
                    session,
                    runtime,
                    user.id,
                    notices.text(runtime, "activity.moved_up", title="Benchmark"),
                    kind="benchmark",
                )
        started = time.perf_counter()
        delivery = await sender_of(application).deliver_due()
        seconds = time.perf_counter() - started
    finally:
        await bot_app.stop(application)
        await api.stop()
    print(f"dropped={delivery.dropped} failed={delivery.failed} postponed={delivery.postponed}")
    return (
        f"outbox messages={messages} sent={delivery.sent} seconds={seconds:.1f} "
        f"per_second={delivery.sent / seconds:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        print(asyncio.run(run(arguments.messages, url)))


if __name__ == "__main__":
    main()
