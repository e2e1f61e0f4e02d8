"""Telegram's limits and refusals: flood waits are waited out, blocked users don't break
the bot."""

from __future__ import annotations

import logging


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
