"""/help: what this person can do now."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from handlers import groups
from handlers.welcome import explain
from kernel.context import SammenContext


async def show_help(update: Update, context: SammenContext) -> None:
    """/help: who the person is to Sammen, and what they can do now."""
    await explain(update, context)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("help", show_help, filters=filters.UpdateType.MESSAGE),
        group=groups.JOURNEYS,
    )
