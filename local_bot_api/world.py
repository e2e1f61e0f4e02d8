"""Everything the server remembers: the bot, its users' private chats, files, settings, events."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from local_bot_api.changes import Changes
from local_bot_api.errors import chat_not_found
from local_bot_api.models import ApiCall, ChatEvent, ChatMessage, StoredFile
from local_bot_api.updates import UpdateQueue

_log = logging.getLogger(__name__)

Listener = Callable[[ChatEvent], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ChatState:
    """A chat and its transcript (ids shared by both sides): a private chat with `user`, or a
    group (`group` holds its title) that the bot was added to."""

    user: dict[str, Any]
    group: dict[str, Any] | None = None
    messages: list[ChatMessage] = field(default_factory=list)
    by_id: dict[int, ChatMessage] = field(default_factory=dict)
    last_message_id: int = 0


class World:
    def __init__(
        self,
        *,
        bot_id: int,
        bot_username: str,
        bot_first_name: str,
        clock: Callable[[], datetime] | None,
    ) -> None:
        self.token = f"{bot_id}:LOCAL-TEST-TOKEN"
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.clock = clock or utc_now
        self.changes = Changes()
        self.updates = UpdateQueue(self.changes)
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # ("description" | "short_description" | "name", language_code or "") -> text
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.open_queries: dict[str, int] = {}  # callback query id -> user id
        self.alerts: dict[int, list[dict[str, Any]]] = {}
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._chats: dict[int, ChatState] = {}
        self._listeners: list[Listener] = []
        self._serial = itertools.count(1)
        self.last_activity: dict[int, float] = {}
        self.last_any_activity = 0.0

    # -- time and ids -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def unix_now(self) -> int:
        return int(self.now().timestamp())

    def serial(self) -> int:
        """A number never handed out before by this server (file ids, query ids, user ids)."""
        return next(self._serial)

    # -- users and chats ----------------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> None:
        self._chats[user["id"]] = ChatState(user=user)
        self.alerts[user["id"]] = []

    def add_group(self, chat_id: int, title: str) -> None:
        """A basic group the bot is a member of; its members write with `LocalUser.send_in`."""
        self._chats[chat_id] = ChatState(user={}, group={"title": title})

    def has_chat(self, chat_id: int) -> bool:
        return chat_id in self._chats

    def chat_state(self, chat_id: Any) -> ChatState:
        """The chat a Bot API call names, or Telegram's "chat not found"."""
        state = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            raise chat_not_found()
        return state

    def chat_json(self, chat_id: int) -> dict[str, Any]:
        state = self.chat_state(chat_id)
        if state.group is not None:
            return {"id": chat_id, "type": "group", "title": state.group["title"]}
        user = state.user
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if user.get(key):
                chat[key] = user[key]
        return chat

    def transcript(self, chat_id: int) -> list[ChatMessage]:
        state = self._chats.get(chat_id)
        return list(state.messages) if state else []

    # -- messages -----------------------------------------------------------------------------

    def new_message_raw(self, chat_id: int, sender: dict[str, Any]) -> dict[str, Any]:
        """The common head of a new message; ids count per chat, for both sides, as Telegram."""
        state = self.chat_state(chat_id)
        state.last_message_id += 1
        return {
            "message_id": state.last_message_id,
            "from": sender,
            "chat": self.chat_json(chat_id),
            "date": self.unix_now(),
        }

    def add_message(
        self,
        raw: dict[str, Any],
        *,
        from_bot: bool,
        html: str | None = None,
        reply_keyboard: dict[str, Any] | None = None,
    ) -> ChatMessage:
        message = ChatMessage.from_raw(
            raw, from_bot=from_bot, html=html, reply_keyboard=reply_keyboard
        )
        state = self.chat_state(message.chat_id)
        state.messages.append(message)
        state.by_id[message.message_id] = message
        self.emit(ChatEvent("message", message.chat_id, message=message))
        return message

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        message = self.chat_state(chat_id).by_id.get(message_id)
        return None if message is None or message.deleted else message

    def edit_message(self, message: ChatMessage, raw: dict[str, Any], html: str | None) -> None:
        message.apply(raw, html=html)
        self.emit(ChatEvent("edited", message.chat_id, message=message))

    def delete_message(self, message: ChatMessage) -> None:
        message.deleted = True
        self.emit(ChatEvent("deleted", message.chat_id, message=message))

    # -- files --------------------------------------------------------------------------------

    def store_file(
        self, data: bytes, *, folder: str, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        n = self.serial()
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"LOCAL-{folder.upper()}-{n:06d}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{folder}/file_{n}.{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return self._files_by_path.get(file_path)

    # -- events and activity ------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: ChatEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                # A broken UI listener must not turn into a failed Bot API call for the bot.
                _log.exception("local Bot API event listener failed")
        self.changes.notify()

    def touch(self, chat_id: int | None) -> None:
        """Note that the bot just acted (in a chat), for waiting without a TrackedApplication."""
        now = asyncio.get_running_loop().time()
        self.last_any_activity = now
        if chat_id is not None:
            self.last_activity[chat_id] = now
        self.changes.notify()


# A Bot API method implementation: decoded parameters in, the JSON "result" out.
Handler = Callable[[World, dict[str, Any]], Awaitable[Any]]
