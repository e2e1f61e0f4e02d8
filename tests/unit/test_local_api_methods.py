"""The Bot API methods the server implements, called by PTB's Bot and by hand."""

import asyncio

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonCommands
from telegram.error import BadRequest

from local_bot_api import LocalBotApi
from local_bot_api.incoming import png


async def test_get_me_is_the_configured_bot():
    server = LocalBotApi(bot_id=42, bot_username="other_bot", bot_first_name="Anden")
    await server.start()
    try:
        async with Bot(server.token, base_url=server.base_url) as bot:
            me = await bot.get_me()
    finally:
        await server.stop()

    assert (me.id, me.username, me.first_name, me.is_bot) == (42, "other_bot", "Anden", True)
    assert server.token == "42:LOCAL-TEST-TOKEN"


async def test_a_photo_round_trip(api: LocalBotApi, bot: Bot):
    mette = api.user()

    sent = await bot.send_photo(mette.id, png(30, 20), caption="Kort")
    file = await bot.get_file(sent.photo[-1].file_id)

    assert (sent.photo[-1].width, sent.photo[-1].height) == (30, 20)
    assert bytes(await file.download_as_bytearray()) == png(30, 20)
    assert mette.messages[0].caption == "Kort"
    resent = await bot.send_photo(mette.id, sent.photo[-1].file_id)
    assert resent.photo[-1].file_id == sent.photo[-1].file_id


async def test_a_user_photo_can_be_fetched_by_the_bot(api: LocalBotApi, bot: Bot):
    mette = api.user()
    sending = asyncio.create_task(mette.send_photo())

    [update] = await bot.get_updates(timeout=1)  # nobody polls: the bot reads it itself
    file = await update.message.photo[-1].get_file()

    assert (await file.download_as_bytearray())[:4] == b"\x89PNG"
    assert await sending == []


async def test_captions_can_be_edited(api: LocalBotApi, bot: Bot):
    mette = api.user()
    sent = await bot.send_document(mette.id, b"x", filename="a.txt", caption="før")

    edited = await bot.edit_message_caption(
        mette.id, sent.message_id, caption="<b>efter</b>", parse_mode="HTML"
    )

    assert edited.caption == "efter"
    assert mette.messages[0].caption == "efter"
    assert mette.messages[0].html == "<b>efter</b>"
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=mette.id, message_id=sent.message_id)


async def test_an_edit_without_keyboard_removes_it(api: LocalBotApi, bot: Bot):
    mette = api.user()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    sent = await bot.send_message(mette.id, "hej", reply_markup=keyboard)

    await bot.edit_message_text("hej igen", chat_id=mette.id, message_id=sent.message_id)

    assert mette.messages[0].buttons() == []
    assert mette.messages[0].text == "hej igen"


async def test_locations_and_chat_actions(api: LocalBotApi, bot: Bot):
    mette = api.user()

    sent = await bot.send_location(mette.id, 55.68, 12.57)
    assert await bot.send_chat_action(mette.id, "typing") is True
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(mette.id, "dancing")

    assert (sent.location.latitude, sent.location.longitude) == (55.68, 12.57)
    assert mette.messages[0].location == {"latitude": 55.68, "longitude": 12.57}


async def test_replies_carry_the_message_replied_to(api: LocalBotApi, bot: Bot):
    mette = api.user()
    first = await bot.send_message(mette.id, "første")

    reply = await bot.send_message(mette.id, "svar", reply_to_message_id=first.message_id)

    assert reply.reply_to_message.text == "første"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(mette.id, "svar", reply_to_message_id=99)


async def test_bot_texts_and_menu_button(api: LocalBotApi, bot: Bot):
    mette = api.user()
    await bot.set_my_description("Mød andre", language_code="da")
    await bot.set_my_short_description("Fællesskab")
    await bot.set_chat_menu_button(chat_id=mette.id, menu_button=MenuButtonCommands())

    assert (await bot.get_my_description("da")).description == "Mød andre"
    assert (await bot.get_my_description("en")).description == ""
    assert (await bot.get_my_short_description()).short_description == "Fællesskab"
    assert (await bot.get_my_name()).name == "Sammen"
    assert isinstance(await bot.get_chat_menu_button(mette.id), MenuButtonCommands)


async def test_a_long_alert_is_refused(api: LocalBotApi, bot: Bot):
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query("1", text="x" * 201)


async def test_json_bodies_and_query_strings_are_read(api: LocalBotApi):
    mette = api.user()
    url = f"{api.base_url}{api.token}/sendMessage"
    async with httpx.AsyncClient() as client:
        by_json = await client.post(url, json={"chat_id": mette.id, "text": "json"})
        by_query = await client.get(url, params={"chat_id": mette.id, "text": "query"})

    assert by_json.json()["result"]["text"] == "json"
    assert by_query.json()["result"]["message_id"] == 2
    assert [c.params["text"] for c in api.calls] == ["json", "query"]


async def test_allowed_updates_filters_update_types(api: LocalBotApi, bot: Bot):
    mette = api.user()
    api.block(mette.id)  # queues a my_chat_member update

    assert await bot.get_updates(allowed_updates=["message"]) == ()
    api.unblock(mette.id)
    assert [u.my_chat_member is not None for u in await bot.get_updates(allowed_updates=[])] == [
        True
    ]
