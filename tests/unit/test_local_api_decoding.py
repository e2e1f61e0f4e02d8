"""Parameters are decoded by the spec's field types and checked recursively."""

import json

import pytest

from local_bot_api.decoding import UploadedFile, decode_params
from local_bot_api.errors import ApiError
from local_bot_api.spec import load_spec

SPEC = load_spec()


def decode(method: str, **raw: object) -> dict:
    found = SPEC.method(method)
    assert found is not None
    return decode_params(SPEC, found, raw)


def reason(method: str, **raw: object) -> str:
    with pytest.raises(ApiError) as caught:
        decode(method, **raw)
    return caught.value.description.removeprefix("Bad Request: ")


def test_the_shipped_spec_is_bot_api_10_1():
    assert SPEC.version == "Bot API 10.1"
    assert SPEC.method("sendmessage").name == "sendMessage"


def test_form_strings_become_typed_values():
    params = decode(
        "sendMessage",
        chat_id="42",
        text="hej",
        disable_notification="true",
        reply_markup=json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}),
    )

    assert params["chat_id"] == 42
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["text"] == "a"


def test_json_bodies_keep_their_types():
    assert decode("sendLocation", chat_id=1, latitude=55, longitude="12.5")["latitude"] == 55.0
    assert decode("sendMessage", chat_id="@someone", text="x")["chat_id"] == "@someone"


def test_the_reply_markup_union_picks_the_matching_type():
    keyboard = {"keyboard": [[{"text": "Del", "request_contact": True}]]}

    assert (
        decode("sendMessage", chat_id=1, text="x", reply_markup=keyboard)["reply_markup"]
        == keyboard
    )
    assert (
        reason(
            "sendMessage",
            chat_id=1,
            text="x",
            reply_markup={"keyboard": [[{"request_contact": 1}]]},
        )
        == "reply_markup.keyboard[0][0].text is required"
    )


def test_abstract_types_are_told_apart_by_their_type_field():
    scope = decode("setMyCommands", commands="[]", scope='{"type": "chat", "chat_id": "5"}')

    assert scope["scope"] == {"type": "chat", "chat_id": 5}
    assert reason("setMyCommands", commands="[]", scope='{"type": "chat"}') == (
        "scope.chat_id is required"
    )
    assert reason("setMyCommands", commands="[]", scope='{"type": "moon"}').startswith(
        'scope.type must be one of "default"'
    )


def test_arrays_are_checked_item_by_item():
    assert reason("setMyCommands", commands='[{"command": "a"}]') == (
        "commands[0].description is required"
    )
    assert reason("setMyCommands", commands='{"command": "a"}') == (
        "commands must be of type Array of BotCommand"
    )


def test_files_come_as_parts_or_attach_references():
    upload = UploadedFile("a.pdf", "application/pdf", b"%PDF")

    assert decode("sendDocument", chat_id=1, document=upload)["document"] is upload
    assert decode("sendDocument", chat_id=1, document="attach://f", f=upload)["document"] is upload
    assert decode("sendDocument", chat_id=1, document="FILE-ID")["document"] == "FILE-ID"


def test_wrong_scalars():
    assert reason("sendMessage", chat_id=True, text="x") == (
        "chat_id must be of type Integer or String"
    )
    assert reason("getUpdates", limit="ten") == "limit must be of type Integer"
    assert reason("sendMessage", chat_id=1, text="x", reply_markup="{oops") == (
        "can't parse reply_markup JSON object"
    )
