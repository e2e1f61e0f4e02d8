"""The typed context every handler and job receives: the runtime, and the person behind it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import CallbackContext, ExtBot

from kernel.clock import Clock
from kernel.config import Settings
from kernel.people import PersonInfo
from kernel.pseudonyms import pseudonym
from kernel.texts import Markup, Texts, pick_language


def _nothing_to_wake() -> None:
    """Until the composition root wires the outbox sender (storage-only tests never do)."""


@dataclass
class Runtime:
    """What the bot is built from; one per Application, made by the composition root."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    texts: Texts
    # Filled in at start-up, once the database is reachable.
    pseudonym_key: bytes = field(default=b"", repr=False)
    # Called after a unit of work committed outbox rows: the sender delivers them at once.
    wake_outbox: Callable[[], None] = field(default=_nothing_to_wake, repr=False)

    def subject(self, telegram_id: int) -> str:
        """The pseudonym the consent ledger knows this person by."""
        return pseudonym(telegram_id, self.pseudonym_key)


class Sender(Protocol):
    """The outbox sender as the rest of the bot knows it: something that can be woken."""

    def kick(self) -> None: ...


class BotData:
    """The Application's bot_data: carries the Runtime and the outbox sender, typed."""

    runtime: Runtime
    outbox: Sender
    # The single-use link that makes the first coordinator of a fresh installation (issue 13).
    setup_link: str | None = None


class SammenContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext plus the person behind the update, read from the database once."""

    person: PersonInfo | None = None
    telegram_language: str | None = None
    # A new person's plain /start is answered before they are recorded (handlers/visit.py).
    lead_owed: bool = False

    @property
    def user_data(self) -> dict[Any, Any]:
        """This person's answers in progress. Every update Sammen handles comes from a person
        (chat_guard turns the rest away), so there always is one."""
        data = super().user_data
        assert data is not None, "an update without a user reached a journey"
        return data

    @user_data.setter
    def user_data(self, _: object) -> NoReturn:
        # CallbackContext's property has a setter that refuses every assignment; an override
        # without one would be read-only, which a writable property may not become.
        raise AttributeError("You can not assign a new value to user_data")

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

    def names(self, names: Sequence[str]) -> Markup:
        """People's names listed as a sentence does, in this person's language (escaped)."""
        return self.runtime.texts.names(self.language, names)

    def now(self) -> datetime:
        return self.runtime.clock.now()

    def subject(self, telegram_id: int) -> str:
        """The pseudonym the consent ledger knows this person by."""
        return self.runtime.subject(telegram_id)
