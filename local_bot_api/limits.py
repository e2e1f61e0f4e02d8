"""Telegram's limits on what a bot may send, with Telegram's own error texts."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from local_bot_api.errors import bad_request
from local_bot_api.formatting import Formatted, utf16_len
from local_bot_api.spec import load_spec

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_ALERT_TEXT = 200
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


@cache
def _inline_button_actions() -> frozenset[str]:
    """Fields of which an inline button must use exactly one (the spec says which are not)."""
    button = load_spec().types["InlineKeyboardButton"]
    return frozenset(f.name for f in button.fields) - {"text", "icon_custom_emoji_id", "style"}


def check_text(formatted: Formatted) -> None:
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(formatted: Formatted) -> None:
    if utf16_len(formatted.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    if markup is None or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: dict[str, Any]) -> None:
    actions = [key for key in button if key in _inline_button_actions()]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        size = len(button["callback_data"].encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")


def check_commands(commands: list[dict[str, Any]]) -> None:
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        description = command["description"].strip()
        if not _COMMAND.fullmatch(command["command"]) or not (
            1 <= len(description) <= MAX_COMMAND_DESCRIPTION
        ):
            raise bad_request("BOT_COMMAND_INVALID")


def check_alert_text(text: str | None) -> None:
    if text is not None and utf16_len(text) > MAX_ALERT_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
