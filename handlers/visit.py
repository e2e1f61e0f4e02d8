"""Reads (and if new, records) the person behind every update, before any journey runs."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import groups
from kernel.context import SammenContext
from services.visits import register_visit


async def track_visit(update: Update, context: SammenContext) -> None:
    """Know who is writing: a first contact becomes a lead (Telegram id and timestamps only)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    context.telegram_language = user.language_code
    context.person = await register_visit(
        context.runtime, user.id, telegram_language=user.language_code
    )


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, track_visit), group=groups.VISIT)
