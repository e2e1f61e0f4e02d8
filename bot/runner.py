"""Sammen on Telegram: start, run until Ctrl-C or SIGTERM, stop cleanly."""

from __future__ import annotations

import asyncio
import signal
import sys

from telegram.error import InvalidToken, NetworkError

from bot import app
from kernel.config import Settings


async def _wait_for_stop_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()


async def run_with_telegram(settings: Settings) -> int:
    application = app.build_application(settings)
    try:
        await app.start(application)
    except InvalidToken:
        print(
            "Telegram refused TELEGRAM_BOT_TOKEN: check the token BotFather gave you.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as error:
        print(
            f"Cannot reach the Bot API at {settings.telegram_api_base_url}: {error.message}",
            file=sys.stderr,
        )
        return 2
    app.keep_what_lives_as_long_as_the_process()
    try:
        await _wait_for_stop_signal()
    finally:
        await app.stop(application)
    return 0
