"""Small steps several journeys share: replying, answering buttons, reading the person."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup as Inline
from telegram import Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.context import SammenContext

Markup = Inline | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


async def say(
    update: Update, context: SammenContext, key: str, markup: Markup = None, **values: object
) -> Message:
    """Send the text `key` to the chat the update came from, in the person's language."""
    return await say_text(update, context, context.t(key, **values), markup)


async def say_text(
    update: Update, context: SammenContext, text: str, markup: Markup = None
) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def acknowledge(
    update: Update, context: SammenContext, key: str | None = None, *, alert: bool = False
) -> None:
    """Answer a button press (stops the spinner), optionally with a short notice."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(context.t(key) if key else None, show_alert=alert)


async def close_buttons(update: Update, note: str | None = None) -> None:
    """Take the buttons off the message that was pressed, so it cannot be pressed again.

    With a note, the message text is replaced by it (the decision stays visible in the chat).
    """
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    if note is not None:
        await query.message.edit_text(note, reply_markup=None)
    elif query.message.reply_markup is not None:
        await query.message.edit_reply_markup(reply_markup=None)


def telegram_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id
