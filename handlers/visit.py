"""Reads (and if new, records) the person behind every update, before any journey runs."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import groups
from kernel.context import SammenContext
from kernel.texts import pick_language
from services.unit_of_work import unit_of_work
from storage import people


async def track_visit(update: Update, context: SammenContext) -> None:
    """Know who is writing: a first contact becomes a lead (Telegram id and timestamps only)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    context.telegram_language = user.language_code
    async with unit_of_work(context.runtime) as session:
        context.person = await people.register_visit(
            session,
            user.id,
            now=context.now(),
            is_configured_coordinator=user.id in context.settings.coordinator_ids,
            language=pick_language(None, user.language_code, context.settings.default_language),
        )


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, track_visit), group=groups.VISIT)
