"""The rate limiter's turns: replies waiting for the bot's budget go first come, first served,
and the places the outbox leaves for answers being prepared are given back with them."""

from __future__ import annotations

import asyncio
from typing import Any

from bot import rate_limits
from bot.rate_limits import BOT_PER_SECOND, Lanes, answering


async def _send(lanes: Lanes, chat: int, done: list[int]) -> None:
    async def call(*_args: Any, **_kwargs: Any) -> bool:
        done.append(chat)
        return True

    with answering():
        await lanes.process_request(call, (), {}, "sendMessage", {"chat_id": chat}, None)


async def test_replies_waiting_for_the_budget_go_in_the_order_they_came() -> None:
    lanes = Lanes()
    now = asyncio.get_running_loop().time()
    # Every place of the bot's budget is held for a moment.
    lanes._bot.free_at = [now + 0.2] * BOT_PER_SECOND
    done: list[int] = []
    waiting = []
    for chat in range(1, 9):
        waiting.append(asyncio.create_task(_send(lanes, chat, done)))
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*waiting), timeout=10)
    assert done == list(range(1, 9))


async def test_a_place_is_left_for_an_answer_only_while_it_is_prepared() -> None:
    before = rate_limits._preparing
    lanes = Lanes()
    done: list[int] = []
    with answering():
        assert rate_limits._preparing == before + 1
    assert rate_limits._preparing == before
    await _send(lanes, 7, done)
    assert rate_limits._preparing == before
    assert done == [7]


async def test_follow_ups_leave_a_place_for_each_first_message_expected_before_one_frees() -> None:
    lanes = Lanes()
    now = asyncio.get_running_loop().time()
    # Twelve first messages in the last 0.6 s: twenty a second.
    lanes._firsts.extend(now - 0.6 + 0.05 * n for n in range(12))
    # The oldest place held comes free in 0.39 s: eight more first messages by then.
    lanes._bot.free_at = [now + 0.39 + 0.05 * n for n in range(24)]
    assert lanes._first_reserve(now) == rate_limits.FIRST_RESERVE + 8
    # In the steady state places come free all the time: the few kept for them suffice.
    lanes._bot.free_at = [now + 0.01 + 0.04 * n for n in range(24)]
    assert lanes._first_reserve(now) == rate_limits.FIRST_RESERVE + 12 // rate_limits.FIRST_SHARE
    # Never more than half the budget: follow-ups are answers too.
    lanes._bot.free_at = [now + 0.99] * 24
    assert lanes._first_reserve(now) == rate_limits.FIRST_RESERVE_MOST
