"""The one error handler: log once with context (never personal data), apologise briefly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from kernel.context import SammenContext
from kernel.texts import pick_language

log = logging.getLogger("sammen.errors")


async def on_error(update: object, context: SammenContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        # The person blocked the bot or left: nothing to apologise to.
        log.info("Telegram refused a message for update %s: %s", update_id, error.message)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("Network trouble talking to Telegram: %s", error.message)
        return
    log.error("Error while handling update %s: %s", update_id, type(error).__name__, exc_info=error)
    if isinstance(update, Update):
        await _apologise(update, context)


async def _apologise(update: Update, context: SammenContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    language = pick_language(
        None, user.language_code if user else None, context.settings.default_language
    )
    text = context.runtime.texts.get(language, "common.error")
    if update.callback_query is not None:
        try:
            # Stops the spinner, unless the handler answered the press before it failed:
            # then Telegram refuses a second answer, and the apology must still go out.
            await update.callback_query.answer()
        except TelegramError as error:
            log.info("The failed press %s was answered already: %s", update.update_id, error)
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as error:
        log.warning("Could not apologise for update %s: %s", update.update_id, error.message)
