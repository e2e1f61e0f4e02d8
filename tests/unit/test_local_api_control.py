"""The /_local/ HTTP and websocket API a browser playground drives scripted users with."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from local_bot_api import LocalBotApi, application_builder, polling


async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tilmeld", callback_data="join:7")]])
    await update.effective_message.reply_text(
        f"Du skrev {update.effective_message.text}", reply_markup=keyboard
    )


async def joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("Tilmeldt")
    await update.callback_query.edit_message_reply_markup(None)


@pytest.fixture
async def app(api: LocalBotApi) -> AsyncIterator[Application]:
    application = application_builder(api).build()
    application.add_handler(MessageHandler(filters.TEXT, offer))
    application.add_handler(CallbackQueryHandler(joined))
    async with polling(application):
        yield application


@pytest.fixture
async def http(api: LocalBotApi) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(f"http://127.0.0.1:{api.port}") as session:
        yield session


async def test_a_playground_conversation(api: LocalBotApi, app: Application, http):
    async with http.post("/_local/users", json={"first_name": "Jens", "language_code": "en"}) as r:
        assert r.status == 201
        user = await r.json()
    async with http.get("/_local/users") as r:
        assert [u["first_name"] for u in await r.json()] == ["Jens"]

    async with http.post(f"/_local/users/{user['id']}/send", json={"text": "hej"}) as r:
        [reply] = (await r.json())["messages"]
    async with http.post(
        f"/_local/users/{user['id']}/press", json={"callback_data": "join:7"}
    ) as r:
        [edited] = (await r.json())["messages"]
    async with http.get(f"/_local/chats/{user['id']}") as r:
        transcript = (await r.json())["messages"]

    assert reply["text"] == "Du skrev hej"
    assert reply["reply_markup"]["inline_keyboard"][0][0]["text"] == "Tilmeld"
    assert edited["message_id"] == reply["message_id"] and edited["reply_markup"] is None
    assert [m["text"] for m in transcript] == ["hej", "Du skrev hej"]


async def test_events_stream_over_a_websocket(api: LocalBotApi, app: Application, http):
    mette = api.user()
    async with http.ws_connect("/_local/events") as socket:
        await mette.send("hej")
        await mette.press("Tilmeld")
        kinds = [(await socket.receive_json(timeout=2))["kind"] for _ in range(4)]

    assert kinds == ["message", "message", "callback_answer", "edited"]


async def test_control_errors_are_json(api: LocalBotApi, http):
    async with http.post("/_local/users/999/send", json={"text": "x"}) as r:
        assert (r.status, await r.json()) == (404, {"error": "no such user"})
    mette = api.user()
    async with http.post(f"/_local/users/{mette.id}/press", json={"callback_data": "x"}) as r:
        assert r.status == 400
        assert "no bot message" in (await r.json())["error"]


async def test_stopping_closes_event_sockets(api: LocalBotApi, http):
    async with http.ws_connect("/_local/events") as socket:
        await api.stop()
        message = await asyncio.wait_for(socket.receive(), timeout=2)

    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
