"""A person who floods the chat hears once that the bot answers their newest message, and the
messages in between are let go: answering each of 200 would take minutes at Telegram's pace
and bury the answer they are waiting for."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.updates import PerChatOrder
from kernel.context import SammenContext
from kernel.texts import pick_language

# Before everything else, the group chat guard included.
FLOOD_GROUP = -5


async def calm_a_flood(update: Update, context: SammenContext) -> None:
    processor = context.application.update_processor
    if not isinstance(processor, PerChatOrder):
        return
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and processor.flood_begins(update):
        language = pick_language(
            None, user.language_code if user else None, context.settings.default_language
        )
        await context.bot.send_message(chat.id, context.runtime.texts.get(language, "common.flood"))
    if processor.superseded(update):
        raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, calm_a_flood), group=FLOOD_GROUP)
