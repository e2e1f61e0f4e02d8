"""Reads what the running bot stored, through the same storage layer the bot uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text
from telegram.ext import Application

from bot.app import runtime_of
from kernel.pseudonyms import pseudonym
from scheduler.outbox import sender_of
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

    async def every_row(
        self, *, leave_out_tables: tuple[str, ...] = (), leave_out_columns: tuple[str, ...] = ()
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a stable order, to compare before and after."""
        runtime = runtime_of(self.application)
        async with runtime.engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            everything: dict[str, list[tuple[Any, ...]]] = {}
            for table in sorted(set(tables) - set(leave_out_tables)):
                result = await connection.execute(text(f'SELECT * FROM "{table}"'))
                kept = [i for i, name in enumerate(result.keys()) if name not in leave_out_columns]
                rows = [tuple(row[i] for i in kept) for row in result]
                everything[table] = sorted(rows, key=repr)
        return everything

    async def value(self, sql: str, **params: Any) -> Any:
        """One value read with plain SQL, e.g. an id to put into a forged button."""
        async with runtime_of(self.application).sessions() as session:
            return (await session.execute(text(sql), params)).scalar_one()

    async def participation(self, title: str) -> dict[int, str]:
        """Telegram id -> joined or waiting, for the activity with this title."""
        async with runtime_of(self.application).sessions() as session:
            rows = await session.execute(
                text(
                    "SELECT p.telegram_id, pa.status FROM participations pa"
                    " JOIN people p ON p.id = pa.person_id"
                    " JOIN activities a ON a.id = pa.activity_id WHERE a.title = :title"
                ),
                {"title": title},
            )
            return {telegram_id: status for telegram_id, status in rows}

    async def deliver_everything_owed(self) -> None:
        """Let the outbox send what is due now, so what was not sent was never owed."""
        await sender_of(self.application).deliver_due()

    async def conversation_steps(self, telegram_id: int) -> list[str]:
        async with runtime_of(self.application).sessions() as session:
            rows = await session.execute(
                text("SELECT state FROM conversation_states WHERE user_id = :id"),
                {"id": telegram_id},
            )
            return [row[0].strip('"') for row in rows]
