"""What scripted users send: message contents and update payloads as Telegram shapes them."""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

from local_bot_api.formatting import utf16_len
from local_bot_api.models import ChatMessage, StoredFile
from local_bot_api.sending import photo_sizes

# A command is "/" and up to 32 word characters, optionally addressed "@botname".
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
STICKER_EMOJI = "👍"
_STICKER_SIDE = 512


def png(width: int, height: int) -> bytes:
    """A valid grey PNG, so a bot that inspects photos gets a real image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PHOTO_BYTES = png(640, 480)
# Not a decodable image: a bot only needs the file to exist and to download.
STICKER_BYTES = b"RIFF\x0c\x00\x00\x00WEBPVP8 "


def text(value: str) -> dict[str, Any]:
    """A text message; a leading command gets its bot_command entity, as Telegram adds it."""
    content: dict[str, Any] = {"text": value}
    command = _COMMAND.match(value)
    if command is not None:
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}
        ]
    return content


def contact(phone_number: str, person: dict[str, Any]) -> dict[str, Any]:
    card = {"phone_number": phone_number, "first_name": person["first_name"]}
    if person.get("last_name"):
        card["last_name"] = person["last_name"]
    card["user_id"] = person["id"]
    return {"contact": card}


def sticker(stored: StoredFile) -> dict[str, Any]:
    return {
        "sticker": {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": _STICKER_SIDE,
            "height": _STICKER_SIDE,
            "is_animated": False,
            "is_video": False,
            "emoji": STICKER_EMOJI,
            "file_size": len(stored.data),
        }
    }


def photo(stored: StoredFile, caption: str | None) -> dict[str, Any]:
    content: dict[str, Any] = {"photo": photo_sizes(stored)}
    if caption:
        content["caption"] = caption
    return content


def location(latitude: float, longitude: float) -> dict[str, Any]:
    return {"location": {"latitude": latitude, "longitude": longitude}}


def document(stored: StoredFile) -> dict[str, Any]:
    return {"document": stored.as_document()}


def callback_query(
    query_id: str,
    sender: dict[str, Any],
    message: ChatMessage,
    chat: dict[str, Any],
    chat_instance: str,
    data: str,
) -> dict[str, Any]:
    return {
        "id": query_id,
        "from": sender,
        "message": _as_seen_by_bot(message, chat),
        "chat_instance": chat_instance,
        "data": data,
    }


def _as_seen_by_bot(message: ChatMessage, chat: dict[str, Any]) -> dict[str, Any]:
    if message.deleted:
        # Telegram sends an InaccessibleMessage (date 0) for a message that is gone.
        return {"chat": chat, "message_id": message.message_id, "date": 0}
    return message.raw


def my_chat_member(
    chat: dict[str, Any],
    sender: dict[str, Any],
    bot_user: dict[str, Any],
    date: int,
    *,
    blocked: bool,
) -> dict[str, Any]:
    """What the bot learns when a private-chat user blocks or unblocks it."""
    member = {"status": "member", "user": bot_user}
    kicked = {"status": "kicked", "user": bot_user, "until_date": 0}
    return {
        "chat": chat,
        "from": sender,
        "date": date,
        "old_chat_member": member if blocked else kicked,
        "new_chat_member": kicked if blocked else member,
    }
