"""Logging that carries no personal data and no bot token."""

from __future__ import annotations

import logging

# Our own code logs ids and counts only, so it may log at any level.
OWN_LOGGERS = (
    "sammen",
    "bot",
    "playground",
    "handlers",
    "scheduler",
    "services",
    "storage",
    "kernel",
)


class _FloodControlHandledByOutbox(logging.Filter):
    """The outbox sends with no retries in the rate limiter and postpones a row itself when
    Telegram answers 429; the limiter still reports that as an error with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum of 0 retries" not in record.getMessage()


def configure_logging(level: str) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    set_levels(level)
    logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_FloodControlHandledByOutbox())


def set_levels(level: str) -> None:
    """LOG_LEVEL applies to Sammen's own loggers; libraries never log below INFO.

    Below INFO, libraries log what passes through them: python-telegram-bot whole updates,
    aiosqlite and SQLAlchemy statement parameters. That is names and phone numbers.
    """
    chosen = logging.getLevelName(level)
    logging.getLogger().setLevel(max(logging.INFO, chosen))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(chosen)
    # httpx logs every request URL, and Bot API URLs contain the bot token. Alembic and
    # APScheduler narrate every start at INFO, which buries the lines that matter.
    for noisy in ("httpx", "httpcore", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
