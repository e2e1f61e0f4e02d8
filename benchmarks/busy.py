"""Whether a person talking to the bot is answered as fast while the bot is busy: while the
outbox sends 5,000 messages, and while another person floods the bot with 200 messages and
draws a 429, on the local Bot API server enforcing Telegram's limits.

    python -m benchmarks.busy [--quick] [--database-url URL]

Each of a few people writes /help, waits for the answer, and writes again; the p95 of all
their waits (over a hundred of them, so that the p95 is not one unlucky answer) is compared
with the same people's p95 when the bot is idle. The last line is exactly:
    busy outbox_ratio=<x.xx> flood_ratio=<x.xx>
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from telegram.ext import Application

from benchmarks.lanes_common import main_of, owe_many, p, ratio, sammen, side_by_side
from bot import app as bot_app
from local_bot_api import ChatEvent, LocalBotApi
from scheduler.outbox import sender_of
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# A person chatting at a human pace, under the one message a second Telegram allows a chat
# (faster than that is a flood, and is answered at a calm pace).
PAUSE = 1.2
# The flooding person is answered at a calm pace; what is left of that when the figures are
# taken is not waited for.
STOPPING_AT_MOST = 20.0


@dataclass(frozen=True)
class Sizes:
    outbox: int = 5000
    flood: int = 200
    # Each of `people` chats `chats` times in each phase: 120 waits a phase.
    chats: int = 20
    people: int = 6


QUICK = Sizes(outbox=200, flood=20, chats=5, people=2)


async def _settle_the_rest(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Nothing more for the outbox: the figures are taken (what is in flight still goes)."""
    runtime = bot_app.runtime_of(application)
    async with runtime.sessions.begin() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.FAILED, text=None)
        )


async def run(sizes: Sizes, database_url: str) -> str:
    api = LocalBotApi(enforce_limits=True)
    await api.start()
    outbox_ids: set[int] = set()
    outbox_arrived: list[float] = []

    def note(event: ChatEvent) -> None:
        if event.kind == "message" and event.chat_id in outbox_ids:
            outbox_arrived.append(time.perf_counter())

    api.subscribe(note)
    context = sammen(api, database_url)
    application = await context.__aenter__()
    try:
        chatting = [api.user(f"Anna {n}") for n in range(sizes.people)]
        await asyncio.gather(*(person.send("/start") for person in chatting))
        idle = await side_by_side(chatting, sizes.chats, "/help", PAUSE)

        receivers = [api.user(f"Modtager {n}") for n in range(sizes.outbox)]
        outbox_ids.update(user.id for user in receivers)
        async with sender_of(application).paused():
            await owe_many(application, [user.id for user in receivers])
        began = time.perf_counter()
        busy_outbox = await side_by_side(chatting, sizes.chats, "/help", PAUSE)
        seconds = time.perf_counter() - began
        sent_meanwhile = sum(1 for at in outbox_arrived if at <= began + seconds)
        await _settle_the_rest(application)

        frede = api.user("Frede")
        frede.timeout = 3600
        await frede.send("/start")
        before = api.too_many_requests
        flood = [asyncio.create_task(frede.send(f"hej {n}")) for n in range(sizes.flood)]
        await frede.next_message(timeout=30)
        busy_flood = await side_by_side(chatting, sizes.chats, "/help", PAUSE)
        flood_429s = api.too_many_requests - before
        for task in flood:
            task.cancel()
    finally:
        try:
            await asyncio.wait_for(context.__aexit__(None, None, None), STOPPING_AT_MOST)
        except TimeoutError:
            log.warning("The bot was still answering the flood; not waited for")
        await api.stop()

    print(
        f"idle:   p50={p(idle, 50):7.1f} ms p95={p(idle, 95):7.1f} ms "
        f"({len(idle)} replies to {sizes.people} people)"
    )
    print(
        f"outbox: p50={p(busy_outbox, 50):7.1f} ms p95={p(busy_outbox, 95):7.1f} ms "
        f"({sent_meanwhile} outbox messages sent meanwhile, "
        f"{sent_meanwhile / seconds:.1f} a second)"
    )
    print(
        f"flood:  p50={p(busy_flood, 50):7.1f} ms p95={p(busy_flood, 95):7.1f} ms "
        f"(the flood drew {flood_429s} 429s)"
    )
    idle_p95 = p(idle, 95)
    return (
        f"busy outbox_ratio={ratio(p(busy_outbox, 95), idle_p95):.2f} "
        f"flood_ratio={ratio(p(busy_flood, 95), idle_p95):.2f}"
    )


def main() -> None:
    main_of(run, Sizes(), QUICK, "small sizes, for a smoke test", __doc__)


if __name__ == "__main__":
    main()
