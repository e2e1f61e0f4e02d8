"""Sammen talks one to one: groups and channels get a pointer to the private chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from handlers import groups
from kernel.context import SammenContext
from kernel.texts import pick_language


async def decline_group_chat(update: Update, context: SammenContext) -> None:
    """Answer commands in a group once, kindly, and ignore everything else there."""
    message = update.effective_message
    if message is not None and message.text and message.text.startswith("/"):
        user = update.effective_user
        language = pick_language(
            None, user.language_code if user else None, context.settings.default_language
        )
        await message.reply_text(context.runtime.texts.get(language, "common.private_only"))
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(~filters.ChatType.PRIVATE, decline_group_chat),
        group=groups.PRIVATE_CHATS_ONLY,
    )
