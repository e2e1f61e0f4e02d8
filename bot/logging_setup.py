"""Logging that carries no personal data and no bot token."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level, force=True
    )
    # httpx logs every request URL, and Bot API URLs contain the bot token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot and APScheduler log whole updates (names, texts) at debug level.
    for chatty in ("telegram", "apscheduler", "aiohttp.access"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, logging.getLevelName(level)))
