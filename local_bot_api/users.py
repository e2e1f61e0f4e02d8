"""Scripted users: people in a private chat with the bot, for tests that read as conversations."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

from local_bot_api import incoming
from local_bot_api.models import ChatEvent, ChatMessage
from local_bot_api.waiting import settle
from local_bot_api.world import World

if TYPE_CHECKING:
    from local_bot_api.api import LocalBotApi

DEFAULT_TIMEOUT = 10.0
# Where a scripted user is when a reply keyboard asks for their location.
DEFAULT_LOCATION = (55.6761, 12.5683)


class LocalUser:
    """A person in a private chat with the bot (chat id == user id).

    Every action returns the bot's new or edited messages in this chat that the bot produced
    while handling it.
    """

    def __init__(self, api: LocalBotApi, world: World, user: dict[str, Any]) -> None:
        self._api = api
        self._world = world
        self._user = user
        # Bot messages up to this id have been returned to the test already (see next_message).
        self._seen_up_to = 0
        # How long an action waits for the bot to handle it before TimeoutError.
        self.timeout = DEFAULT_TIMEOUT

    def __repr__(self) -> str:
        return f"LocalUser(id={self.id}, first_name={self.first_name!r})"

    @property
    def id(self) -> int:
        return int(self._user["id"])

    @property
    def first_name(self) -> str:
        return str(self._user["first_name"])

    @property
    def last_name(self) -> str | None:
        return self._user.get("last_name")

    @property
    def username(self) -> str | None:
        return self._user.get("username")

    @property
    def language_code(self) -> str | None:
        return self._user.get("language_code")

    @property
    def as_json(self) -> dict[str, Any]:
        """This user as a Bot API User object."""
        return dict(self._user)

    @property
    def messages(self) -> list[ChatMessage]:
        return self._world.transcript(self.id)

    @property
    def alerts(self) -> list[dict[str, Any]]:
        return self._world.alerts[self.id]

    # -- what a person does -------------------------------------------------------------------

    async def send(self, text: str) -> list[ChatMessage]:
        return await self._say(incoming.text(text))

    async def send_in(self, group_id: int, text: str) -> list[ChatMessage]:
        """Write `text` in a group chat (see `LocalBotApi.group`); returns the bot's replies
        there."""
        raw = self._world.new_message_raw(group_id, self.as_json)
        raw.update(incoming.text(text))
        self._world.add_message(raw, from_bot=False)
        return await self._act("message", raw, chat_id=group_id)

    async def share_contact(
        self, phone_number: str = "+4520123456", *, own: bool = True
    ) -> list[ChatMessage]:
        """Share a phone number: one's own (as the "share phone number" button does) or not."""
        person = self._user if own else self._api.somebody_else()
        return await self._say(incoming.contact(phone_number, person))

    async def send_sticker(self) -> list[ChatMessage]:
        stored = self._world.store_file(
            incoming.STICKER_BYTES,
            folder="stickers",
            file_name="sticker.webp",
            mime_type="image/webp",
        )
        return await self._say(incoming.sticker(stored))

    async def send_photo(self, caption: str | None = None) -> list[ChatMessage]:
        stored = self._world.store_file(
            incoming.PHOTO_BYTES, folder="photos", file_name="photo.png", mime_type="image/png"
        )
        return await self._say(incoming.photo(stored, caption))

    async def send_location(self, latitude: float, longitude: float) -> list[ChatMessage]:
        return await self._say(incoming.location(latitude, longitude))

    async def send_document(
        self, file_name: str, content: bytes, mime_type: str
    ) -> list[ChatMessage]:
        stored = self._world.store_file(
            content, folder="documents", file_name=file_name, mime_type=mime_type
        )
        return await self._say(incoming.document(stored))

    async def edit(self, message: ChatMessage, new_text: str) -> list[ChatMessage]:
        if message.from_bot or message.chat_id != self.id or message.deleted:
            raise ValueError(f"{self} can only edit their own messages in their chat")
        raw = {k: v for k, v in message.raw.items() if k != "entities"}
        raw.update(incoming.text(new_text))
        raw["edit_date"] = self._world.unix_now()
        self._world.edit_message(message, raw, None)
        return await self._act("edited_message", raw)

    async def press(
        self, button_text: str, *, in_message: ChatMessage | None = None
    ) -> list[ChatMessage]:
        """Press an inline button by its text (exact, else contained, ignoring case).

        Without such an inline button, a button of the current reply keyboard is tapped, as a
        person would: it sends its text, or the contact or location it asks for.
        """
        candidates = [in_message] if in_message else list(reversed(self._bot_messages()))
        found = _find_button(candidates, button_text)
        if found is None:
            tapped = None if in_message else self._tap_reply_keyboard(button_text)
            if tapped is not None:
                return await tapped
            raise LookupError(
                f"no button {button_text!r} in chat {self.id}; buttons: {_describe(candidates)}"
            )
        message, button = found
        if "callback_data" not in button:
            raise ValueError(f"button {button['text']!r} sends no callback data: {button}")
        return await self._callback(message, button["callback_data"])

    async def press_data(
        self, callback_data: str, *, in_message: ChatMessage | None = None
    ) -> list[ChatMessage]:
        """Send a callback query with any data, e.g. forged or stale, on a bot message."""
        message = in_message or self._newest_with_keyboard() or self.last_bot_message()
        if message is None:
            raise LookupError(f"no bot message in chat {self.id} to press a button on")
        return await self._callback(message, callback_data)

    # -- reading the chat ---------------------------------------------------------------------

    def last_bot_message(self) -> ChatMessage | None:
        messages = self._bot_messages()
        return messages[-1] if messages else None

    async def next_message(self, timeout: float = DEFAULT_TIMEOUT) -> ChatMessage:
        """The next bot message not returned before, waiting for it (e.g. from a scheduler)."""

        def unseen() -> ChatMessage | None:
            return next(
                (
                    m
                    for m in self._world.transcript(self.id)
                    if m.from_bot and m.message_id > self._seen_up_to
                ),
                None,
            )

        try:
            await self._world.changes.until(lambda: unseen() is not None, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot sent no new message to {self} within {timeout} s"
            ) from None
        message = unseen()
        assert message is not None  # the wait above ends only once there is one
        self._seen_up_to = message.message_id
        return message

    async def download(self, message: ChatMessage) -> bytes:
        if message.document is not None:
            file_id = message.document["file_id"]
        elif message.photo:
            file_id = message.photo[-1]["file_id"]
        else:
            raise ValueError(f"message {message.message_id} has no document or photo")
        return self._world.files[file_id].data

    # -- mechanics ----------------------------------------------------------------------------

    def _bot_messages(self) -> list[ChatMessage]:
        return [m for m in self._world.transcript(self.id) if m.from_bot and not m.deleted]

    def _newest_with_keyboard(self) -> ChatMessage | None:
        return next((m for m in reversed(self._bot_messages()) if m.inline_buttons()), None)

    def _tap_reply_keyboard(self, button_text: str) -> Awaitable[list[ChatMessage]] | None:
        keyboard = next(
            (m.reply_keyboard for m in reversed(self._bot_messages()) if m.reply_keyboard),
            None,
        )
        for row in (keyboard or {}).get("keyboard", []):
            for button in row:
                button = {"text": button} if isinstance(button, str) else button
                if button["text"] != button_text:
                    continue
                if button.get("request_contact"):
                    return self.share_contact()
                if button.get("request_location"):
                    return self.send_location(*DEFAULT_LOCATION)
                return self.send(button["text"])
        return None

    async def _say(self, content: dict[str, Any]) -> list[ChatMessage]:
        raw = self._world.new_message_raw(self.id, self.as_json)
        raw.update(content)
        self._world.add_message(raw, from_bot=False)
        return await self._act("message", raw)

    async def _callback(self, message: ChatMessage, data: str) -> list[ChatMessage]:
        query_id = str(4_000_000_000_000_000 + self._world.serial())
        self._world.open_queries[query_id] = self.id
        payload = incoming.callback_query(
            query_id,
            self.as_json,
            message,
            self._world.chat_json(self.id),
            chat_instance=str(self._world.bot_user["id"] ^ self.id),
            data=data,
        )
        return await self._act("callback_query", payload)

    async def _act(
        self, kind: str, payload: dict[str, Any], *, chat_id: int | None = None
    ) -> list[ChatMessage]:
        # A person who blocked the bot restarts it before doing anything, which unblocks it.
        self._api.unblock(self.id)
        produced: list[ChatMessage] = []
        where = self.id if chat_id is None else chat_id

        def collect(event: ChatEvent) -> None:
            message = event.message
            if (
                event.chat_id == where
                and event.kind in ("message", "edited")
                and message is not None
                and message.from_bot
                and message not in produced
            ):
                produced.append(message)

        unsubscribe = self._world.subscribe(collect)
        try:
            update_id = self._world.updates.put(kind, payload)
            await settle(
                self._world,
                update_id,
                tracked=self._api.is_tracked,
                chat_id=where,
                timeout=self.timeout,
            )
        finally:
            unsubscribe()
        newest = [m.message_id for m in self._world.transcript(self.id) if m.from_bot]
        self._seen_up_to = max([self._seen_up_to, *newest])
        return produced


def _find_button(
    candidates: Iterable[ChatMessage], button_text: str
) -> tuple[ChatMessage, dict[str, Any]] | None:
    candidates = list(candidates)
    for matches in (
        lambda text: text == button_text,
        lambda text: button_text.lower() in text.lower(),
    ):
        for message in candidates:
            for button in message.inline_buttons():
                if matches(button["text"]):
                    return message, button
    return None


def _describe(candidates: Iterable[ChatMessage]) -> str:
    rows = [f"message {m.message_id}: {m.buttons()}" for m in candidates if m.inline_buttons()]
    return "; ".join(rows) or "none"
