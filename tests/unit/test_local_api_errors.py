"""The local Bot API answers mistakes and faults as Telegram does, and PTB raises accordingly."""

import asyncio
import json
import time
from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from local_bot_api import LocalBotApi


async def raw_call(api: LocalBotApi, method: str, **params: object) -> tuple[int, dict]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{api.base_url}{api.token}/{method}", data=params)
    return response.status_code, response.json()


async def test_a_flood_limit_surfaces_as_retry_after(api: LocalBotApi, bot: Bot):
    mette = api.user()
    api.fail_next("sendMessage", retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(mette.id, "hej")
    await bot.send_message(mette.id, "hej igen")  # only the next call failed

    assert caught.value.retry_after in (7, timedelta(seconds=7))
    assert [(c.method, c.status) for c in api.calls[-2:]] == [
        ("sendMessage", 429),
        ("sendMessage", 200),
    ]
    assert [m.text for m in mette.messages] == ["hej igen"]


async def test_the_flood_limit_body_is_telegrams(api: LocalBotApi):
    api.fail_next("getMe", retry_after=3)

    status, body = await raw_call(api, "getMe")

    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )


async def test_faults_can_target_one_chat_and_repeat(api: LocalBotApi, bot: Bot):
    mette, jens = api.user("Mette"), api.user("Jens")
    api.fail_next("sendmessage", status=502, times=2, chat_id=jens.id)

    await bot.send_message(mette.id, "ok")
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(jens.id, "fejl")
    await bot.send_message(jens.id, "ok")

    assert [m.text for m in jens.messages] == ["ok"]


async def test_a_blocked_user_gives_forbidden(api: LocalBotApi, bot: Bot):
    mette = api.user()
    api.block(mette.id)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(mette.id, "hej")
    api.unblock(mette.id)
    await bot.send_message(mette.id, "hej")

    updates = await bot.get_updates()
    statuses = [u.my_chat_member.new_chat_member.status for u in updates]
    assert statuses == ["kicked", "member"]


async def test_an_unknown_method_is_a_bad_request(api: LocalBotApi, bot: Bot):
    status, body = await raw_call(api, "sendTelepathy", chat_id=1)

    assert status == 400
    assert body == {"ok": False, "error_code": 400, "description": "Bad Request: method not found"}
    with pytest.raises(BadRequest, match="Method not found"):
        await bot.do_api_request("sendTelepathy")


async def test_method_names_are_case_insensitive(api: LocalBotApi):
    status, body = await raw_call(api, "GETME")

    assert status == 200 and body["result"]["username"] == "sammen_local_bot"


async def test_a_wrong_token_is_unauthorized(api: LocalBotApi):
    wrong = Bot("1:WRONG", base_url=api.base_url)

    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await wrong.initialize()  # calls getMe
    finally:
        await wrong.shutdown()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{api.base_url}1:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_missing_required_fields(api: LocalBotApi, bot: Bot):
    mette = api.user()

    assert await raw_call(api, "sendMessage", chat_id=mette.id) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"},
    )
    _, body = await raw_call(api, "sendMessage", text="hej")
    assert body["description"] == "Bad Request: chat_id is empty"
    _, body = await raw_call(api, "getFile")
    assert body["description"] == "Bad Request: file_id is required"


async def test_wrong_types_are_bad_requests(api: LocalBotApi):
    mette = api.user()

    _, body = await raw_call(api, "sendMessage", chat_id=mette.id, text="a", message_id="x")
    assert body["ok"] is True  # unknown parameters are ignored, as Telegram does
    _, body = await raw_call(
        api, "sendMessage", chat_id=mette.id, text="a", disable_notification="maybe"
    )
    assert body["description"] == "Bad Request: disable_notification must be of type Boolean"
    _, body = await raw_call(api, "sendMessage", chat_id=mette.id, text="a", reply_markup="{")
    assert body["description"] == "Bad Request: can't parse reply_markup JSON object"


async def test_nested_objects_are_checked_against_the_spec(api: LocalBotApi):
    mette = api.user()
    markup = {"inline_keyboard": [[{"callback_data": "x"}]]}

    _, body = await raw_call(
        api, "sendMessage", chat_id=mette.id, text="a", reply_markup=json.dumps(markup)
    )

    assert body["description"] == "Bad Request: reply_markup.inline_keyboard[0][0].text is required"


async def test_an_inline_button_needs_an_action(api: LocalBotApi):
    mette = api.user()
    markup = {"inline_keyboard": [[{"text": "x"}]]}

    _, body = await raw_call(
        api, "sendMessage", chat_id=mette.id, text="a", reply_markup=json.dumps(markup)
    )

    assert "Text buttons are unallowed in the inline keyboard" in body["description"]


async def test_callback_data_of_65_bytes_is_refused(api: LocalBotApi, bot: Bot):
    mette = api.user()
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="æ" * 32 + "a")]])

    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(mette.id, "hej", reply_markup=too_long)
    assert mette.messages == []


async def test_text_over_4096_characters_is_refused(api: LocalBotApi, bot: Bot):
    mette = api.user()

    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(mette.id, "x" * 4097)
    await bot.send_message(mette.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(mette.id, b"x", filename="a.txt", caption="c" * 1025)


async def test_bad_html_is_refused_with_telegrams_words(api: LocalBotApi, bot: Bot):
    mette = api.user()

    with pytest.raises(BadRequest) as caught:
        await bot.send_message(mette.id, "Plads til 3 < 5 personer", parse_mode="HTML")
    # PTB capitalizes the description after "Bad Request: ", lowercasing the rest.
    assert caught.value.message == (
        'Can\'t parse entities: unsupported start tag "" at byte offset 12'
    )
    with pytest.raises(BadRequest, match="can't find end tag corresponding to start tag"):
        await bot.send_message(mette.id, "<b>Hej", parse_mode="HTML")


async def test_unknown_chats_and_messages(api: LocalBotApi, bot: Bot):
    mette = api.user()
    sent = await bot.send_message(mette.id, "hej")

    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hej")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=mette.id, message_id=99)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("hej", chat_id=mette.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


async def test_a_deleted_message_cannot_be_deleted_again(api: LocalBotApi, bot: Bot):
    mette = api.user()
    sent = await bot.send_message(mette.id, "hej")

    assert await bot.delete_message(mette.id, sent.message_id) is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(mette.id, sent.message_id)
    assert mette.messages[0].deleted


async def test_unimplemented_methods(api: LocalBotApi, bot: Bot):
    mette = api.user()

    assert await bot.set_message_reaction(mette.id, 1) is True  # returns Boolean: accepted
    with pytest.raises(NetworkError, match="does not implement getChat"):
        await bot.get_chat(mette.id)


async def test_setmycommands_limits(api: LocalBotApi):
    too_many = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    invalid = [{"command": "Start", "description": "d"}]

    _, body = await raw_call(api, "setMyCommands", commands=json.dumps(too_many))
    assert body["description"] == "Bad Request: BOT_COMMANDS_TOO_MUCH"
    _, body = await raw_call(api, "setMyCommands", commands=json.dumps(invalid))
    assert body["description"] == "Bad Request: BOT_COMMAND_INVALID"


async def test_slow_answers_are_delayed(api: LocalBotApi, bot: Bot):
    # Only "at least this long" is measured: a shared, busy machine can make anything slower,
    # never faster. That the delay is lifted shows as an answer before the delay could pass.
    delay = 1.0
    api.slow("getMe", delay)
    began = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - began >= delay

    api.slow("getMe", 0)
    lifted = asyncio.create_task(bot.get_me())
    done, _ = await asyncio.wait({lifted}, timeout=delay * 0.9)
    lifted.cancel()
    assert lifted in done, "the delay was not lifted"
