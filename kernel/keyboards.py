"""Small builders for Telegram keyboards, so handlers read as what they offer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

Button = tuple[str, str]  # (label, callback data)
# Longer titles make buttons wrap badly on a phone.
BUTTON_TITLE_MAX = 28


def shortened(title: str, most: int = BUTTON_TITLE_MAX) -> str:
    """A title short enough for a button, with "…" where it was cut."""
    return title if len(title) <= most else title[: most - 1] + "…"


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def in_rows(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    return [list(buttons[start : start + per_row]) for start in range(0, len(buttons), per_row)]


def share_phone(label: str, placeholder: str) -> ReplyKeyboardMarkup:
    """The reply keyboard whose one button shares the person's own phone number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=placeholder,
    )
