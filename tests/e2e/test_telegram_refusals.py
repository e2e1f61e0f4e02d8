"""Telegram's limits and refusals: flood waits are waited out, blocked users don't break
the bot."""

from __future__ import annotations

import logging

from services import participation
from tests.e2e.journeys import sign_up_volunteer


async def test_a_flood_wait_is_waited_out_and_the_reply_still_arrives(bot, local_api) -> None:
    visitor = local_api.user("Visitor", language_code="en")
    local_api.fail_next("sendMessage", status=429, retry_after=1)

    replies = await visitor.send("/start")

    assert "Welcome to Sammen" in replies[-1].text
    statuses = [call.status for call in local_api.calls if call.method == "sendMessage"]
    assert statuses == [429, 200]


async def test_a_person_who_blocked_the_bot_does_not_break_it(bot, local_api, caplog) -> None:
    caplog.set_level(logging.INFO, logger="sammen")
    gone = local_api.user("Gone", language_code="en")
    other = local_api.user("Other", language_code="en")
    local_api.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )

    await gone.send("/start")
    replies = await other.send("/start")

    assert "Welcome to Sammen" in replies[-1].text
    assert any("refused" in record.getMessage() for record in caplog.records)


async def test_a_press_that_fails_after_it_was_answered_still_gets_the_apology(
    bot, local_api, monkeypatch
) -> None:
    mette = local_api.user("Mette", last_name="Hansen", language_code="da")
    await sign_up_volunteer(mette)
    await mette.send("/activities")

    async def broken(*_: object, **__: object) -> list[object]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(participation, "listings_page", broken)
    calls_before = len(local_api.calls)
    replies = await mette.press_data("actp:1")

    # The page press was answered before the failure, so answering it again is refused; the
    # apology is a message of its own and must still arrive.
    calls = local_api.calls[calls_before:]
    answers = [call for call in calls if call.method == "answerCallbackQuery"]
    assert [call.status for call in answers] == [200, 400]
    assert "Beklager" in replies[-1].text
