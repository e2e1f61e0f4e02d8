"""Reads (and if new, records) the person behind every update, before any journey runs."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import groups
from kernel.context import SammenContext
from services.visits import record_lead, register_visit


async def track_visit(update: Update, context: SammenContext) -> None:
    """Know who is writing: a first contact becomes a lead (Telegram id and timestamps only)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    context.telegram_language = user.language_code
    # A new person's first /start is answered first and recorded right after (a welcome
    # then waits for no write); whatever else a first message is may need them stored.
    later = _plain_start(update)
    context.person = await register_visit(
        context.runtime, user.id, telegram_language=user.language_code, new_lead_later=later
    )
    context.lead_owed = later and context.person.id == 0


async def record_owed_lead(update: Update, context: SammenContext) -> None:
    """After the answer: store the new person whose /start was answered before."""
    if context.lead_owed and context.person is not None:
        await record_lead(context.runtime, context.person)
        context.lead_owed = False


def _plain_start(update: Update) -> bool:
    """/start without a campaign or an invitation in it: its answer writes nothing."""
    message = update.message
    words = (message.text or "").split() if message is not None else []
    return len(words) == 1 and words[0].split("@")[0] == "/start"


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, track_visit), group=groups.VISIT)
    app.add_handler(TypeHandler(Update, record_owed_lead), group=groups.OWED_LEAD)
