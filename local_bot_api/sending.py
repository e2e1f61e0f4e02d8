"""Bot API methods that put a new message into a chat."""

from __future__ import annotations

import struct
from typing import Any
from urllib.parse import urlparse

from local_bot_api.decoding import UploadedFile
from local_bot_api.errors import bad_request
from local_bot_api.formatting import format_text
from local_bot_api.limits import check_caption, check_reply_markup, check_text
from local_bot_api.models import StoredFile
from local_bot_api.world import Handler, World

Markup = tuple[dict[str, Any] | None, dict[str, Any] | None]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_DEFAULT_PHOTO_SIZE = (800, 600)
_LOCATION_EXTRAS = ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius")


def is_html(params: dict[str, Any]) -> bool:
    return str(params.get("parse_mode") or "").lower() == "html"


def text_content(params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The text and entities of a message, and the HTML as sent (for a UI), checked."""
    formatted = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
    check_text(formatted)
    content: dict[str, Any] = {"text": formatted.text}
    if formatted.entities:
        content["entities"] = formatted.entities
    return content, params["text"] if is_html(params) else None


def caption_content(params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    caption = params.get("caption")
    if not caption:
        return {}, None
    formatted = format_text(caption, params.get("parse_mode"), params.get("caption_entities"))
    check_caption(formatted)
    content: dict[str, Any] = {}
    if formatted.text:
        content["caption"] = formatted.text
    if formatted.entities:
        content["caption_entities"] = formatted.entities
    return content, caption if is_html(params) else None


def split_markup(params: dict[str, Any]) -> Markup:
    """(inline keyboard, other keyboard): only an inline keyboard stays on the message."""
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    if markup is None:
        return None, None
    if "inline_keyboard" in markup:
        return markup, None
    return None, markup


def _deliver(
    world: World,
    params: dict[str, Any],
    content: dict[str, Any],
    html: str | None,
    markup: Markup,
) -> dict[str, Any]:
    """Store a bot message built from already validated content; its id is taken only now."""
    chat_id = params["chat_id"]
    inline, keyboard = markup
    reply_to = _replied_message(world, chat_id, params.get("reply_parameters"))
    raw = world.new_message_raw(chat_id, world.bot_user)
    if reply_to is not None:
        raw["reply_to_message"] = reply_to
    raw.update(content)
    if inline is not None:
        raw["reply_markup"] = inline
    world.add_message(raw, from_bot=True, html=html, reply_keyboard=keyboard)
    return raw


def _replied_message(
    world: World, chat_id: int, reply: dict[str, Any] | None
) -> dict[str, Any] | None:
    if reply is None:
        return None
    target = world.find_message(reply.get("chat_id", chat_id), reply["message_id"])
    if target is not None:
        return {k: v for k, v in target.raw.items() if k != "reply_to_message"}
    if reply.get("allow_sending_without_reply"):
        return None
    raise bad_request("message to be replied not found")


def stored_file(
    world: World, value: UploadedFile | str, *, folder: str, mime_type: str | None = None
) -> StoredFile:
    """The file an InputFile parameter names: a new upload, a known file_id, or a URL."""
    if isinstance(value, UploadedFile):
        return world.store_file(
            value.data,
            folder=folder,
            file_name=value.filename,
            mime_type=mime_type or value.content_type,
        )
    if value in world.files:
        return world.files[value]
    if value.startswith(("http://", "https://")):
        # Telegram would download the URL; here the file is known by name only.
        name = urlparse(value).path.rsplit("/", 1)[-1] or None
        return world.store_file(b"", folder=folder, file_name=name, mime_type=mime_type)
    raise bad_request("wrong file identifier/HTTP URL specified")


def photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    width, height = _image_size(stored.data)
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "width": width,
            "height": height,
        }
    ]


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG; other formats get a plausible default."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return _DEFAULT_PHOTO_SIZE


async def send_message(world: World, params: dict[str, Any]) -> dict[str, Any]:
    world.chat_state(params["chat_id"])
    content, html = text_content(params)
    return _deliver(world, params, content, html, split_markup(params))


async def send_document(world: World, params: dict[str, Any]) -> dict[str, Any]:
    world.chat_state(params["chat_id"])
    content, html = caption_content(params)
    markup = split_markup(params)
    stored = stored_file(world, params["document"], folder="documents")
    return _deliver(world, params, {"document": stored.as_document(), **content}, html, markup)


async def send_photo(world: World, params: dict[str, Any]) -> dict[str, Any]:
    world.chat_state(params["chat_id"])
    content, html = caption_content(params)
    markup = split_markup(params)
    stored = stored_file(world, params["photo"], folder="photos", mime_type="image/jpeg")
    return _deliver(world, params, {"photo": photo_sizes(stored), **content}, html, markup)


async def send_location(world: World, params: dict[str, Any]) -> dict[str, Any]:
    world.chat_state(params["chat_id"])
    location = {"latitude": params["latitude"], "longitude": params["longitude"]}
    location.update({k: params[k] for k in _LOCATION_EXTRAS if k in params})
    return _deliver(world, params, {"location": location}, None, split_markup(params))


async def send_chat_action(world: World, params: dict[str, Any]) -> bool:
    world.chat_state(params["chat_id"])
    if params["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "sendLocation": send_location,
    "sendChatAction": send_chat_action,
}
