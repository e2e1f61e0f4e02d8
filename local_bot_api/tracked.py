"""TrackedApplication: a PTB Application that tells the local server when it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application

from local_bot_api.api import running_for

if TYPE_CHECKING:
    from local_bot_api.api import LocalBotApi


class TrackedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """Reports every processed update to the LocalBotApi it runs against.

    Use it with ``ApplicationBuilder().application_class(TrackedApplication)``; it finds the
    running LocalBotApi by its base URL on initialize() (or call ``api.attach(app)``). Then a
    scripted user's action returns once the bot has handled it, not after a guessed pause.
    """

    local_api: LocalBotApi | None

    async def initialize(self) -> None:
        await super().initialize()
        api = getattr(self, "local_api", None) or running_for(self.bot.base_url)
        if api is not None:
            api.attach(self)

    async def shutdown(self) -> None:
        api = getattr(self, "local_api", None)
        if api is not None:
            api.detach(self)
        await super().shutdown()

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            api = getattr(self, "local_api", None)
            if api is not None and isinstance(update, Update):
                api.mark_processed(update.update_id)
