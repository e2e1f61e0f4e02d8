"""The /_local/ HTTP and websocket API: scripted users driven from a browser playground.

    GET  /_local/users                       the users
    POST /_local/users                       create one: {first_name, last_name?, username?,
                                             language_code?, user_id?}
    POST /_local/users/{id}/send             {text}: at most 4,096 characters, as Telegram
    POST /_local/users/{id}/location         {latitude, longitude}
    POST /_local/users/{id}/photo            {caption?}: a small grey picture
    POST /_local/users/{id}/sticker          a 👍 sticker
    POST /_local/users/{id}/press            {callback_data, message_id?} or {button_text, ...}
    POST /_local/users/{id}/contact          {phone_number?, own?}
    GET  /_local/chats/{id}                  the transcript
    GET  /_local/events                      websocket streaming ChatEvents as JSON

Actions answer {"messages": [...]}: the bot's messages produced while handling the action.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import Awaitable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from local_bot_api.formatting import utf16_len
from local_bot_api.limits import MAX_CAPTION, MAX_TEXT
from local_bot_api.models import ChatEvent, ChatMessage
from local_bot_api.users import LocalUser

if TYPE_CHECKING:
    from local_bot_api.api import LocalBotApi


def add_control_routes(app: web.Application, api: LocalBotApi) -> None:
    control = _Control(api)
    app.router.add_get("/_local/users", control.list_users)
    app.router.add_post("/_local/users", control.create_user)
    app.router.add_post("/_local/users/{user_id}/send", control.send)
    app.router.add_post("/_local/users/{user_id}/press", control.press)
    app.router.add_post("/_local/users/{user_id}/contact", control.contact)
    app.router.add_post("/_local/users/{user_id}/location", control.location)
    app.router.add_post("/_local/users/{user_id}/photo", control.photo)
    app.router.add_post("/_local/users/{user_id}/sticker", control.sticker)
    app.router.add_get("/_local/chats/{chat_id}", control.transcript)
    app.router.add_get("/_local/events", control.events)
    app.on_shutdown.append(control.close_sockets)


_ERRORS: dict[int, type[web.HTTPException]] = {
    HTTPStatus.BAD_REQUEST: web.HTTPBadRequest,
    HTTPStatus.NOT_FOUND: web.HTTPNotFound,
    HTTPStatus.GATEWAY_TIMEOUT: web.HTTPGatewayTimeout,
}


def _fail(status: int, reason: str) -> web.HTTPException:
    return _ERRORS[status](text=json.dumps({"error": reason}), content_type="application/json")


def _messages(messages: list[ChatMessage]) -> web.Response:
    return web.json_response({"messages": [m.to_json() for m in messages]})


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json() if request.can_read_body else {}
    except ValueError:
        raise _fail(HTTPStatus.BAD_REQUEST, "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _fail(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
    return body


def _coordinate(body: dict[str, Any], name: str, limit: float) -> float:
    value = body.get(name)
    # bool is an int to Python, but never a coordinate.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(HTTPStatus.BAD_REQUEST, f"{name} must be a number")
    if not -limit <= value <= limit:
        raise _fail(HTTPStatus.BAD_REQUEST, f"{name} must be between -{limit:g} and {limit:g}")
    return float(value)


class _Control:
    def __init__(self, api: LocalBotApi) -> None:
        self._api = api
        self._sockets: set[web.WebSocketResponse] = set()

    def _user(self, request: web.Request) -> LocalUser:
        try:
            return self._api.find_user(int(request.match_info["user_id"]))
        except (ValueError, LookupError):
            raise _fail(HTTPStatus.NOT_FOUND, "no such user") from None

    async def _act(self, action: Awaitable[list[ChatMessage]]) -> web.Response:
        try:
            return _messages(await action)
        except TimeoutError as exc:
            raise _fail(HTTPStatus.GATEWAY_TIMEOUT, str(exc)) from None
        except (LookupError, ValueError) as exc:
            raise _fail(HTTPStatus.BAD_REQUEST, str(exc)) from None

    async def list_users(self, request: web.Request) -> web.Response:
        return web.json_response([user.as_json for user in self._api.users])

    async def create_user(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            user = self._api.user(
                str(body.get("first_name") or "Mette"),
                last_name=body.get("last_name"),
                username=body.get("username"),
                language_code=body.get("language_code", "da"),
                user_id=body.get("user_id"),
            )
        except ValueError as exc:
            raise _fail(HTTPStatus.BAD_REQUEST, str(exc)) from None
        return web.json_response(user.as_json, status=HTTPStatus.CREATED)

    async def send(self, request: web.Request) -> web.Response:
        user = self._user(request)
        text = (await _body(request)).get("text")
        if not isinstance(text, str) or not text:
            raise _fail(HTTPStatus.BAD_REQUEST, "text is required")
        # A Telegram app cannot send more in one message; the server refuses it as Telegram's
        # does, so the bot never sees a message no person could have written.
        if utf16_len(text) > MAX_TEXT:
            raise _fail(HTTPStatus.BAD_REQUEST, f"MESSAGE_TOO_LONG: at most {MAX_TEXT} characters")
        return await self._act(user.send(text))

    async def location(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await _body(request)
        latitude = _coordinate(body, "latitude", 90)
        longitude = _coordinate(body, "longitude", 180)
        return await self._act(user.send_location(latitude, longitude))

    async def photo(self, request: web.Request) -> web.Response:
        user = self._user(request)
        caption = (await _body(request)).get("caption")
        if caption is not None and not isinstance(caption, str):
            raise _fail(HTTPStatus.BAD_REQUEST, "caption must be text")
        if caption and utf16_len(caption) > MAX_CAPTION:
            raise _fail(HTTPStatus.BAD_REQUEST, f"MEDIA_CAPTION_TOO_LONG: at most {MAX_CAPTION}")
        return await self._act(user.send_photo(caption or None))

    async def sticker(self, request: web.Request) -> web.Response:
        return await self._act(self._user(request).send_sticker())

    async def press(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await _body(request)
        message = None
        if body.get("message_id") is not None:
            message = next((m for m in user.messages if m.message_id == body["message_id"]), None)
            if message is None:
                raise _fail(HTTPStatus.NOT_FOUND, "no such message")
        if body.get("button_text"):
            return await self._act(user.press(str(body["button_text"]), in_message=message))
        if not body.get("callback_data"):
            raise _fail(HTTPStatus.BAD_REQUEST, "callback_data or button_text is required")
        return await self._act(user.press_data(str(body["callback_data"]), in_message=message))

    async def contact(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await _body(request)
        phone = str(body.get("phone_number") or "+4520123456")
        return await self._act(user.share_contact(phone, own=bool(body.get("own", True))))

    async def transcript(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
        except ValueError:
            raise _fail(HTTPStatus.NOT_FOUND, "no such chat") from None
        return _messages(self._api.chat(chat_id))

    async def events(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        # Serialised at once: the message objects change with later edits.
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def enqueue(event: ChatEvent) -> None:
            queue.put_nowait(event.to_json())

        unsubscribe = self._api.subscribe(enqueue)
        self._sockets.add(socket)
        forwarder = asyncio.create_task(_forward(queue, socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.ERROR:
                    break
        finally:
            unsubscribe()
            self._sockets.discard(socket)
            forwarder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await forwarder
        return socket

    async def close_sockets(self, app: web.Application) -> None:
        for socket in list(self._sockets):
            await socket.close()


async def _forward(queue: asyncio.Queue[dict[str, Any]], socket: web.WebSocketResponse) -> None:
    # A browser tab that went away ends the stream; that is not an error.
    with contextlib.suppress(ConnectionResetError):
        while not socket.closed:
            await socket.send_json(await queue.get())
