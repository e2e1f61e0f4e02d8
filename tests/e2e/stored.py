"""Reads what the running bot stored, through the same storage layer the bot uses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from telegram.ext import Application

from bot.app import runtime_of
from kernel.pseudonyms import pseudonym
from storage import consent, people
from storage.consent import ConsentRecord
from storage.people import PersonInfo


@dataclass
class Stored:
    """Reads what the running bot stored, through the same storage layer."""

    application: Application

    async def person(self, telegram_id: int) -> PersonInfo | None:
        async with runtime_of(self.application).sessions() as session:
            return await people.find_person(session, telegram_id)

    async def consent_history(self, telegram_id: int) -> list[ConsentRecord]:
        runtime = runtime_of(self.application)
        async with runtime.sessions() as session:
            return await consent.history(session, pseudonym(telegram_id, runtime.pseudonym_key))

    async def conversation_steps(self, telegram_id: int) -> list[str]:
        async with runtime_of(self.application).sessions() as session:
            rows = await session.execute(
                text("SELECT state FROM conversation_states WHERE user_id = :id"),
                {"id": telegram_id},
            )
            return [row[0].strip('"') for row in rows]
