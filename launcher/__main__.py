"""`python -m launcher` (`./sammen run`): Sammen on Telegram with a token, else the playground."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot.logging_setup import configure_logging
from bot.runner import run_with_telegram
from kernel.config import Settings, describe_error
from playground import run_playground


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m launcher",
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
