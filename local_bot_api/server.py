"""The HTTP face of the Bot API: routes, request bodies, authorisation, faults, answers."""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import Any

from aiohttp import web

from local_bot_api import bot_methods, editing, sending
from local_bot_api.decoding import UploadedFile, decode_params
from local_bot_api.errors import ApiError, bad_request
from local_bot_api.faults import Faults
from local_bot_api.flood import FloodControl
from local_bot_api.models import ApiCall
from local_bot_api.spec import Method, load_spec
from local_bot_api.world import Handler, World

_log = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {**sending.HANDLERS, **editing.HANDLERS, **bot_methods.HANDLERS}
_BOOLEAN_RETURNS = (("Boolean",), ("True",))
_UNAUTHORIZED = ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def add_bot_api_routes(
    app: web.Application, world: World, faults: Faults, flood: FloodControl | None = None
) -> None:
    routes = _BotApiRoutes(world, faults, flood or FloodControl())
    app.router.add_route("*", "/bot{token}/{method}", routes.call)
    app.router.add_get("/file/bot{token}/{file_path:.+}", routes.download)


def _answer(body: dict[str, Any], status: int = HTTPStatus.OK) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _error(error: ApiError) -> web.Response:
    return _answer(error.to_json(), error.status)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a form, multipart or JSON body (body wins)."""
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text())
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        params.update(body)
    elif request.content_type in _FORM_TYPES:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(
                    filename=value.filename,
                    content_type=value.content_type,
                    data=value.file.read(),
                )
            else:
                params[key] = value
    return params


class _BotApiRoutes:
    def __init__(self, world: World, faults: Faults, flood: FloodControl) -> None:
        self._world = world
        self._faults = faults
        self._flood = flood
        self._spec = load_spec()

    async def call(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._world.token:
            return _error(_UNAUTHORIZED)
        name = request.match_info["method"]
        method = self._spec.method(name)
        params: dict[str, Any] = {}
        try:
            params = await read_params(request)
            if method is None:
                raise bad_request("method not found")
            name = method.name
            params = decode_params(self._spec, method, params)
            result = await self._run(method, params)
        except ApiError as error:
            self._record(name, params, error.status)
            return _error(error)
        except Exception as exc:
            # A bug in this server: say so loudly rather than let the bot guess.
            _log.exception("local Bot API failed on %s", name)
            self._record(name, params, HTTPStatus.INTERNAL_SERVER_ERROR)
            return _error(
                ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, f"Internal Server Error: {exc!r}")
            )
        self._record(name, params, HTTPStatus.OK)
        return _answer({"ok": True, "result": result})

    async def _run(self, method: Method, params: dict[str, Any]) -> Any:
        # Counted on arrival, as Telegram does; a slow answer comes later.
        self._flood.check(method.name, params, asyncio.get_running_loop().time())
        delay = self._faults.delay_for(method.name)
        if delay:
            await asyncio.sleep(delay)
        try:
            self._faults.check(method.name, params)
            handler = HANDLERS.get(method.name)
            if handler is not None:
                result = await handler(self._world, params)
                # Done, but answered late: a client that gives up early sends it twice.
                slow_answer = self._faults.answer_delay_for(method.name)
                if slow_answer:
                    await asyncio.sleep(slow_answer)
                return result
            if method.returns in _BOOLEAN_RETURNS:
                return True
            raise ApiError(
                HTTPStatus.NOT_IMPLEMENTED,
                f"Not Implemented: the local Bot API server does not implement {method.name}",
            )
        finally:
            if method.name != "getUpdates":
                chat_id = params.get("chat_id")
                self._world.touch(chat_id if isinstance(chat_id, int) else None)

    def _record(self, method: str, params: dict[str, Any], status: int) -> None:
        self._world.calls.append(ApiCall(method, params, int(status), self._world.now()))

    async def download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._world.token:
            return _error(_UNAUTHORIZED)
        stored = self._world.file_by_path(request.match_info["file_path"])
        if stored is None:
            return _error(ApiError(HTTPStatus.NOT_FOUND, "Not Found: file not found"))
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, headers={"Content-Type": content_type})
