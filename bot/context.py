"""The typed context every handler receives: settings, database, clock, texts, the person."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram.ext import CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.texts import Texts, pick_language
from storage.consent import pseudonym
from storage.engine import SessionFactory
from storage.people import PersonInfo

if TYPE_CHECKING:
    from scheduler.outbox import OutboxSender


@dataclass
class Runtime:
    """What the bot is built from; one per Application, made in bot.app."""

    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    clock: Clock
    texts: Texts
    # Filled in at start-up, once the database is reachable.
    pseudonym_key: bytes = field(default=b"", repr=False)


class BotData:
    """The Application's bot_data: carries the Runtime and the outbox sender, typed."""

    runtime: Runtime
    outbox: OutboxSender


class SammenContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext plus the person behind the update, read from the database once."""

    person: PersonInfo | None = None
    telegram_language: str | None = None

    @property
    def runtime(self) -> Runtime:
        return self.bot_data.runtime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def language(self) -> str:
        chosen = self.person.language if self.person else None
        return pick_language(chosen, self.telegram_language, self.settings.default_language)

    def t(self, key: str, /, **values: object) -> str:
        """The text `key` in this person's language."""
        return self.runtime.texts.get(self.language, key, **values)

    def label(self, key: str, /, **values: object) -> str:
        """A button label in this person's language: plain text, so values are not escaped."""
        return self.runtime.texts.plain(self.language, key, **values)

    def now(self) -> datetime:
        return self.runtime.clock.now()

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One session and transaction, committed when the block ends without an error."""
        return self.runtime.sessions.begin()

    def subject(self, telegram_id: int) -> str:
        """The pseudonym the consent ledger knows this person by."""
        return pseudonym(telegram_id, self.runtime.pseudonym_key)
