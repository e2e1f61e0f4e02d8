"""What the reply and busy benchmarks share: the bots under test on the local Bot API server
enforcing Telegram's limits, and timing the bot's first answer to what people do."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import insert, select
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import app as bot_app
from kernel.config import Settings
from kernel.people import Role
from local_bot_api import ChatEvent, LocalBotApi, LocalUser, TrackedApplication
from local_bot_api.harness import application_builder, polling
from storage.models import OutboxMessage, OutboxStatus, Person

Action = Callable[[LocalUser], Coroutine[Any, Any, object]]


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_user is not None
    await update.message.reply_html(f"Hi {update.effective_user.mention_html()}!")


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


@asynccontextmanager
async def echo_bot(api: LocalBotApi) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """python-telegram-bot's echo bot example, with its AIORateLimiter."""
    application = application_builder(api).rate_limiter(AIORateLimiter()).build()
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    api.attach(application)
    async with polling(application):
        yield application


@asynccontextmanager
async def sammen(
    api: LocalBotApi, database_url: str
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """The real bot, as the e2e tests run it."""
    settings = Settings(
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        database_url=database_url,
        default_language="da",
        _env_file=None,  # type: ignore[call-arg]
    )
    application = bot_app.build_application(settings, application_class=TrackedApplication)
    api.attach(application)
    await bot_app.start(application, poll_timeout=1)
    bot_app.keep_what_lives_as_long_as_the_process()  # as bot/runner.py does
    try:
        yield application
    finally:
        await bot_app.stop(application)


async def owe_many(
    application: Application[Any, Any, Any, Any, Any, Any], telegram_ids: Sequence[int]
) -> None:
    """Everyone becomes a person the bot knows and is owed one message, in one transaction
    and a few statements (a benchmark's set-up, not what it measures)."""
    runtime = bot_app.runtime_of(application)
    now = runtime.clock.now()
    text = runtime.texts.get("da", "activity.moved_up", title="Benchmark")
    async with runtime.sessions.begin() as session:
        await session.execute(
            insert(Person),
            [
                {"telegram_id": i, "role": Role.LEAD, "created_at": now, "last_seen_at": now}
                for i in telegram_ids
            ],
        )
        found = await session.execute(
            select(Person.id, Person.telegram_id).where(Person.telegram_id.in_(telegram_ids))
        )
        await session.execute(
            insert(OutboxMessage),
            [
                {
                    "person_id": person_id,
                    "chat_id": telegram_id,
                    "kind": "benchmark",
                    "text": text,
                    "status": OutboxStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for person_id, telegram_id in found
            ],
        )


async def first_answers(
    api: LocalBotApi, users: Sequence[LocalUser], per_second: float, action: Action
) -> list[float]:
    """Each person does `action` in turn, `per_second` of them a second; the seconds until the
    bot's first new message to each (people it never answered are left out)."""
    started: dict[int, float] = {}
    answered: dict[int, float] = {}

    def note(event: ChatEvent) -> None:
        message = event.message
        if (
            event.kind == "message"
            and message is not None
            and message.from_bot
            and event.chat_id in started
            and event.chat_id not in answered
        ):
            answered[event.chat_id] = time.perf_counter()

    unsubscribe = api.subscribe(note)
    begin = time.perf_counter()
    doing: list[asyncio.Task[object]] = []
    try:
        for number, user in enumerate(users):
            await asyncio.sleep(max(0.0, begin + number / per_second - time.perf_counter()))
            started[user.id] = time.perf_counter()
            doing.append(asyncio.create_task(action(user)))
        await asyncio.gather(*doing, return_exceptions=True)
    finally:
        unsubscribe()
    return [answered[u.id] - started[u.id] for u in users if u.id in answered]


async def one_at_a_time(user: LocalUser, times: int, text: str, pause: float) -> list[float]:
    """A person chatting: `text`, wait for the answer, a short pause, again; each wait."""
    waits = []
    for _ in range(times):
        begin = time.perf_counter()
        await user.send(text)
        waits.append(time.perf_counter() - begin)
        await asyncio.sleep(pause)
    return waits


async def side_by_side(
    users: Sequence[LocalUser], times: int, text: str, pause: float
) -> list[float]:
    """Several people chatting as `one_at_a_time`, each in their own chat, their starts
    spread over one pause; every wait of all of them."""

    async def chat(number: int, user: LocalUser) -> list[float]:
        await asyncio.sleep(pause * number / len(users))
        return await one_at_a_time(user, times, text, pause)

    waits = await asyncio.gather(*(chat(n, user) for n, user in enumerate(users)))
    return [wait for each in waits for wait in each]


def p(values: Sequence[float], percent: int) -> float:
    """The percent-th percentile, in milliseconds."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1] * 1000


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def main_of(
    run: Callable[[Any, str], Coroutine[Any, Any, str]],
    full: Any,
    quick: Any,
    quick_help: str,
    about: str | None,
) -> None:
    """A benchmark's command line: `--quick` for small sizes, `--database-url` for another
    database than a temporary SQLite file, `--profile FILE` for where the time went; prints
    the benchmark's last line."""
    parser = argparse.ArgumentParser(description=(about or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--profile", metavar="FILE", help="write cProfile statistics of the whole run to FILE"
    )
    arguments = parser.parse_args()
    sizes = quick if arguments.quick else full
    profiler = cProfile.Profile() if arguments.profile else None
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        if profiler is not None:
            profiler.enable()
        try:
            print(asyncio.run(run(sizes, url)))
        finally:
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(arguments.profile)
