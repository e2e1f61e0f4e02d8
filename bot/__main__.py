"""`python -m bot`: run Sammen against Telegram (with a token) or as a local playground."""

from __future__ import annotations

import argparse
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


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Run Sammen. Without TELEGRAM_BOT_TOKEN it runs as a local playground.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="playground only: fill the database with demo volunteers and activities in Odense",
    )
    parser.add_argument("--port", type=int, help="playground only: the web page's port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(describe_error(error), file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if settings.telegram_bot_token is None:
        from bot.playground import run_playground

        if arguments.port is not None:
            settings = settings.model_copy(update={"playground_port": arguments.port})
        return asyncio.run(run_playground(settings, demo=arguments.demo))
    if arguments.demo:
        print(
            "--demo only fills the playground; unset TELEGRAM_BOT_TOKEN to use it.", file=sys.stderr
        )
        return 2
    return asyncio.run(run_with_telegram(settings))


if __name__ == "__main__":
    sys.exit(main())
