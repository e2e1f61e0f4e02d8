"""What tests and a UI see of the server: chat messages, recorded calls, and chat events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal["message", "edited", "deleted", "callback_answer"]

_MEDIA_KEYS = ("document", "photo", "contact", "location", "sticker")


@dataclass(eq=False)
class ChatMessage:
    """One message as the chat shows it; edits and deletion are applied to the same object.

    Compared by identity: it is one message in a chat, whose content changes with edits.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    date: datetime
    text: str | None = None
    html: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    contact: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    edited: bool = False
    deleted: bool = False
    # The Bot API Message object as the server would return it now (entities, edit_date, ...).
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_raw(
        cls,
        raw: dict[str, Any],
        *,
        from_bot: bool,
        html: str | None = None,
        reply_keyboard: dict[str, Any] | None = None,
    ) -> ChatMessage:
        message = cls(
            message_id=raw["message_id"],
            chat_id=raw["chat"]["id"],
            from_bot=from_bot,
            date=datetime.fromtimestamp(raw["date"], UTC),
            reply_keyboard=reply_keyboard,
        )
        message.apply(raw, html=html)
        return message

    def apply(self, raw: dict[str, Any], *, html: str | None) -> None:
        """Take over the content of `raw`: a new message, or the new state after an edit."""
        self.raw = raw
        self.html = html
        self.text = raw.get("text")
        self.caption = raw.get("caption")
        self.reply_markup = raw.get("reply_markup")
        self.edited = "edit_date" in raw
        for key in _MEDIA_KEYS:
            setattr(self, key, raw.get(key))

    def buttons(self) -> list[list[str]]:
        """Inline button texts, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[button["text"] for button in row] for row in rows]

    def inline_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view for a browser playground."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "from_bot": self.from_bot,
            "date": self.date.isoformat(),
            "text": self.text,
            "html": self.html,
            "caption": self.caption,
            "reply_markup": self.reply_markup,
            "reply_keyboard": self.reply_keyboard,
            "document": self.document,
            "photo": self.photo,
            "contact": self.contact,
            "location": self.location,
            "sticker": self.sticker,
            "edited": self.edited,
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call the server received, with its decoded parameters and HTTP status."""

    method: str
    params: dict[str, Any]
    status: int
    at: datetime


@dataclass(frozen=True)
class ChatEvent:
    """Something a chat window would show change: a message, an edit, a deletion, an alert."""

    kind: EventKind
    chat_id: int
    message: ChatMessage | None = None
    answer: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "chat_id": self.chat_id,
            "message": self.message.to_json() if self.message else None,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class StoredFile:
    """A file the server holds: uploaded by the bot or sent by a scripted user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }
