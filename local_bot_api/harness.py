"""Running a PTB Application against a LocalBotApi, the way tests and benchmarks need it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from local_bot_api.api import LocalBotApi
from local_bot_api.tracked import TrackedApplication

# Short long-poll so that stopping the updater never waits long.
POLL_TIMEOUT = 1


def application_builder(
    api: LocalBotApi, builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] | None = None
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder (yours, or a new one) pointed at `api`, building a tracked app."""
    return (
        (builder or ApplicationBuilder())
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .application_class(TrackedApplication)
    )


@asynccontextmanager
async def polling(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Initialize, start and long-poll; stop and shut down in reverse order on exit."""
    await application.initialize()
    await application.start()
    assert application.updater is not None, "build the application with an updater"
    await application.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
