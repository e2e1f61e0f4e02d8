"""The playground's own HTTP routes, next to the local server's Bot API and /_local/ routes.

    GET  /                                   the chat page
    GET  /static/{file}                      its CSS and JavaScript
    GET  /playground/people                  the people, in side-panel order, each with their
                                             role and language as stored now, and the
                                             languages a new person may speak
    POST /playground/people                  a new person: {first_name, language_code}
    GET  /playground/people/{id}/commands    the bot's command menu as this person sees it
    GET  /playground/time                    the playground's time
    POST /playground/time                    move it forward: {step: "hour" | "day"}
    GET  /playground/files/{chat}/{message}  a document's or photo's bytes

What people do in a chat (send, press, share a contact) goes to /_local/users/{id}/..., and
every change of a chat is pushed over the /_local/events websocket.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from kernel.texts import LANGUAGES, Texts
from local_bot_api import ChatMessage, LocalBotApi
from playground.personas import Personas
from playground.time_control import TimeControl

STATIC_DIR = Path(__file__).with_name("static")
NAME_MAX = 64
# Telegram's order for a private chat: the chat's own menu, then all private chats, then the
# default; within each, the person's language before the menu for every language.
_SCOPES = ("chat:{id}", "all_private_chats", "default")
# Photos are stored as image/jpeg whatever they are; the first bytes say what they really are.
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def add_playground_routes(
    app: web.Application, *, api: LocalBotApi, personas: Personas, time: TimeControl
) -> None:
    routes = _Routes(api, personas, time)
    app.router.add_get("/", routes.page)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_get("/playground/people", routes.list_people)
    app.router.add_post("/playground/people", routes.add_person)
    app.router.add_get("/playground/people/{user_id}/commands", routes.commands)
    app.router.add_get("/playground/time", routes.show_time)
    app.router.add_post("/playground/time", routes.move_time)
    app.router.add_get("/playground/files/{chat_id}/{message_id}", routes.file)


def _bad(reason: str, status: int = HTTPStatus.BAD_REQUEST) -> web.HTTPException:
    error = web.HTTPNotFound if status == HTTPStatus.NOT_FOUND else web.HTTPBadRequest
    return error(text=json.dumps({"error": reason}), content_type="application/json")


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _bad("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    return body


def _int_param(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise _bad(f"{name} must be a number", HTTPStatus.NOT_FOUND) from None


def visible_commands(
    commands: dict[tuple[str, str], list[dict[str, Any]]], chat_id: int, language: str | None
) -> list[dict[str, Any]]:
    """The command menu Telegram would show this person in their private chat with the bot."""
    for scope in _SCOPES:
        key = scope.format(id=chat_id)
        for code in (language or "", ""):
            if (key, code) in commands:
                return list(commands[(key, code)])
    return []


def _file_of(message: ChatMessage) -> tuple[str, str, bool]:
    """(file name, content type, is a document) of the file a message carries."""
    if message.document is not None:
        name = str(message.document.get("file_name") or "file")
        kind = str(message.document.get("mime_type") or "application/octet-stream")
        return name, kind, True
    if message.photo:
        return f"photo-{message.message_id}.jpg", "image/jpeg", False
    raise _bad("that message carries no file", HTTPStatus.NOT_FOUND)


class _Routes:
    def __init__(self, api: LocalBotApi, personas: Personas, time: TimeControl) -> None:
        self._api = api
        self._personas = personas
        self._time = time
        # The bot's own list of languages, each named in itself, fills the page's choice.
        texts = Texts.load()
        self._languages = [
            {"code": code, "name": texts.plain(code, "language.name")} for code in LANGUAGES
        ]

    async def page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def list_people(self, request: web.Request) -> web.Response:
        try:
            people = await self._personas.listed()
        except RuntimeError:
            # A page opened while the bot still starts: it tries again.
            raise web.HTTPServiceUnavailable(
                text=json.dumps({"error": "the bot is starting"}), content_type="application/json"
            ) from None
        return web.json_response(
            {
                "bot": self._api.bot_user,
                "people": people,
                "languages": self._languages,
                "setup_link": self._personas.setup_link,
            }
        )

    async def add_person(self, request: web.Request) -> web.Response:
        body = await _body(request)
        first_name = " ".join(str(body.get("first_name") or "").split())
        language = body.get("language_code") or LANGUAGES[0]
        if not first_name or len(first_name) > NAME_MAX:
            raise _bad(f"first_name must be 1 to {NAME_MAX} characters")
        if language not in LANGUAGES:
            raise _bad(f"language_code must be one of {', '.join(LANGUAGES)}")
        try:
            persona = self._personas.add_new_person(first_name, language)
        except ValueError as error:
            raise _bad(str(error)) from None
        return web.json_response(persona.to_json(), status=HTTPStatus.CREATED)

    async def commands(self, request: web.Request) -> web.Response:
        persona = self._personas.find(_int_param(request, "user_id"))
        if persona is None:
            raise _bad("no such person", HTTPStatus.NOT_FOUND)
        menu = visible_commands(self._api.commands, persona.id, persona.user.language_code)
        return web.json_response({"commands": menu})

    async def show_time(self, request: web.Request) -> web.Response:
        return web.json_response(self._time.to_json())

    async def move_time(self, request: web.Request) -> web.Response:
        step = (await _body(request)).get("step")
        try:
            await self._time.advance(str(step))
        except ValueError as error:
            raise _bad(str(error)) from None
        return web.json_response(self._time.to_json())

    async def file(self, request: web.Request) -> web.Response:
        chat_id = _int_param(request, "chat_id")
        message_id = _int_param(request, "message_id")
        message = next((m for m in self._api.chat(chat_id) if m.message_id == message_id), None)
        if message is None or message.deleted:
            raise _bad("no such message", HTTPStatus.NOT_FOUND)
        name, content_type, is_document = _file_of(message)
        data = await self._api.find_user(chat_id).download(message)
        if not is_document:
            content_type = next((t for magic, t in _IMAGE_MAGIC if data.startswith(magic)), "")
            content_type = content_type or "image/jpeg"
        disposition = "attachment" if is_document else "inline"
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
            # Bytes the bot produced are shown as they are, never interpreted as a page.
            "X-Content-Type-Options": "nosniff",
        }
        return web.Response(body=data, headers=headers)
