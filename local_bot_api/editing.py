"""Bot API methods that change or remove a message already in a chat."""

from __future__ import annotations

from typing import Any

from local_bot_api.errors import NOT_MODIFIED, bad_request
from local_bot_api.limits import check_reply_markup
from local_bot_api.models import ChatMessage
from local_bot_api.sending import caption_content, text_content
from local_bot_api.world import Handler, World

# Keys of a Message object that an edit may change; everything else stays as it was.
_TEXT_KEYS = ("text", "entities")
_CAPTION_KEYS = ("caption", "caption_entities")


def _target(world: World, params: dict[str, Any], verb: str) -> ChatMessage:
    if params.get("inline_message_id") is not None:
        # Inline-mode messages never exist on this server.
        raise bad_request("MESSAGE_ID_INVALID")
    if "chat_id" not in params:
        raise bad_request("chat_id is empty")
    if "message_id" not in params:
        raise bad_request("message identifier is not specified")
    world.chat_state(params["chat_id"])
    message = world.find_message(params["chat_id"], params["message_id"])
    if message is None:
        raise bad_request(f"message to {verb} not found")
    return message


def _editable(world: World, params: dict[str, Any]) -> ChatMessage:
    message = _target(world, params, "edit")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    return markup


def _apply_edit(
    world: World,
    message: ChatMessage,
    replaced_keys: tuple[str, ...],
    content: dict[str, Any],
    markup: dict[str, Any] | None,
    html: str | None,
) -> dict[str, Any]:
    """Replace content and keyboard (an edit without reply_markup removes the keyboard)."""
    raw = {k: v for k, v in message.raw.items() if k not in (*replaced_keys, "reply_markup")}
    raw.update(content)
    if markup is not None:
        raw["reply_markup"] = markup
    unchanged = all(raw.get(k) == message.raw.get(k) for k in (*replaced_keys, "reply_markup"))
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    raw["edit_date"] = world.unix_now()
    world.edit_message(message, raw, html)
    return raw


async def edit_message_text(world: World, params: dict[str, Any]) -> dict[str, Any]:
    message = _editable(world, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    if "text" not in params:
        raise bad_request("message text is empty")
    content, html = text_content(params)
    return _apply_edit(world, message, _TEXT_KEYS, content, _inline_markup(params), html)


async def edit_message_caption(world: World, params: dict[str, Any]) -> dict[str, Any]:
    message = _editable(world, params)
    if message.document is None and message.photo is None:
        raise bad_request("there is no caption in the message to edit")
    content, html = caption_content(params)
    return _apply_edit(world, message, _CAPTION_KEYS, content, _inline_markup(params), html)


async def edit_message_reply_markup(world: World, params: dict[str, Any]) -> dict[str, Any]:
    message = _editable(world, params)
    return _apply_edit(world, message, (), {}, _inline_markup(params), message.html)


async def delete_message(world: World, params: dict[str, Any]) -> bool:
    # In a private chat a bot may delete the user's messages as well as its own.
    world.delete_message(_target(world, params, "delete"))
    return True


HANDLERS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
}
