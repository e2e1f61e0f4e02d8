"""`python -m bot`: run Sammen against Telegram (with a token) or as a local playground."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError

from bot import app
from bot.config import Settings, describe_error
from bot.logging_setup import configure_logging

log = logging.getLogger("sammen")


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
    try:
        await _wait_for_stop_signal()
    finally:
        await app.stop(application)
    return 0


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        print(describe_error(error), file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if settings.telegram_bot_token is None:
        from bot.playground import run_playground

        return asyncio.run(run_playground(settings))
    return asyncio.run(run_with_telegram(settings))


if __name__ == "__main__":
    sys.exit(main())
