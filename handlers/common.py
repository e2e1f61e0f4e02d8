"""Small steps several journeys share: replying, answering buttons, reading the person."""

from __future__ import annotations

from typing import TypeVar

from telegram import InlineKeyboardMarkup as Inline
from telegram import Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from kernel.callback_data import CallbackData
from kernel.context import SammenContext

Markup = Inline | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
# Telegram takes at most 4096 characters in one message.
MESSAGE_LIMIT = 4096

Kind = TypeVar("Kind", bound=CallbackData)


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


async def replace_pressed(
    update: Update, context: SammenContext, text: str, markup: Inline | None
) -> None:
    """Redraw the pressed message in place, so the chat reads as one place, not a pile of
    lists; a command (nothing pressed) gets a new message. A text longer than Telegram takes
    goes on in further messages, the buttons under the last."""
    first, *rest = split_long(text)
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        await say_text(update, context, first, None if rest else markup)
    else:
        try:
            await query.message.edit_text(first, reply_markup=None if rest else markup)
        except BadRequest as error:
            # Pressing the page one is on changes nothing; Telegram says so, and that is fine.
            if "not modified" not in error.message.lower():
                raise
    for number, part in enumerate(rest, start=1):
        await say_text(update, context, part, markup if number == len(rest) else None)


def split_long(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """`text` in parts of at most `limit` characters, cut between lines (our texts keep HTML
    tags within one line, so every part is well-formed)."""
    lines: list[str] = []
    for line in text.split("\n"):
        # A single line longer than a message (it does not happen with our texts) is cut.
        lines += [line[start : start + limit] for start in range(0, len(line), limit)] or [""]
    parts: list[str] = []
    current: str | None = None
    for line in lines:
        if current is not None and len(current) + 1 + len(line) <= limit:
            current = f"{current}\n{line}"
            continue
        if current is not None:
            parts.append(current)
        current = line
    if current is not None:
        parts.append(current)
    return [part for part in parts if part.strip()] or [text[:limit]]


def telegram_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def pressed(update: Update, kind: type[Kind]) -> Kind:
    """The pressed button's value; the handler's pattern already matched it as `kind`, so
    what it says is well-formed (and still to be checked against what is stored)."""
    query = update.callback_query
    button = kind.parse(query.data if query else None)
    assert button is not None
    return button
