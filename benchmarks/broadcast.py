"""How fast, and how exactly, a coordinator's broadcast reaches 2,000 volunteers, while a person
keeps chatting with the bot, on the local Bot API server enforcing Telegram's limits (30 sends
in any one second, about one a second per chat, 429 with retry_after beyond that).

    python -m benchmarks.broadcast [--quick] [--database-url URL]

The volunteers are arranged in the database (a benchmark's set-up, not what it measures); the
broadcast is drafted and sent through services.broadcasts, as the /broadcast buttons do, so its
recipients are chosen by the database and owed through the outbox's bulk lane. Meanwhile a
person writes /help, waits for the answer, pauses, and writes again; the p95 of those waits is
compared with the same person's p95 before the broadcast. Efficiency is the rate at which the
bot's sends arrived while the broadcast went out (the broadcast, and the replies and progress
edits that go before it) against the 30 a second allowed, from the first broadcast message to
one second past the last; the broadcast's own share is printed above it. The last line is
exactly:
    broadcast efficiency=<x.xx> 429s=<n> lost=<n> duplicates=<n> reply_p95_ratio=<x.xx>
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert

from benchmarks.lanes_common import main_of, one_at_a_time, p, ratio, sammen
from bot import app as bot_app
from kernel.context import Runtime
from kernel.people import Role
from local_bot_api import ChatEvent, LocalBotApi
from local_bot_api.flood import BOT_PER_SECOND, is_sending
from scheduler.outbox import sender_of
from services import broadcasts
from storage import outbox
from storage.models import Person
from storage.people import find_person

# A person chatting at a human pace, under the one message a second Telegram allows a chat.
PAUSE = 1.2
TEXT = "<b>Sommerfest</b> på lørdag: vi mangler hænder til kaffen!"
COORDINATOR = 555_000_001


@dataclass(frozen=True)
class Sizes:
    recipients: int = 2000
    chats: int = 10


QUICK = Sizes(recipients=60, chats=3)


async def _volunteers(runtime: Runtime, telegram_ids: list[int]) -> None:
    """Consented, active volunteers and one coordinator, in a few statements."""
    now = runtime.clock.now()
    volunteer = {
        "role": Role.VOLUNTEER,
        "consent_version": 1,
        "signup_completed_at": now,
        "created_at": now,
        "last_seen_at": now,
    }
    async with runtime.sessions.begin() as session:
        await session.execute(
            insert(Person), [{"telegram_id": i, **volunteer} for i in telegram_ids]
        )
        await session.execute(
            insert(Person).values(
                telegram_id=COORDINATOR, role=Role.COORDINATOR, created_at=now, last_seen_at=now
            )
        )


async def run(sizes: Sizes, database_url: str) -> str:
    api = LocalBotApi(enforce_limits=True)
    await api.start()
    receivers = [api.user(f"Frivillig {n}") for n in range(sizes.recipients)]
    wanted = {user.id for user in receivers}
    arrived: list[float] = []
    received: Counter[int] = Counter()

    def count(event: ChatEvent) -> None:
        message = event.message
        if event.kind == "message" and message is not None and message.from_bot:
            if event.chat_id in wanted:
                received[event.chat_id] += 1
                arrived.append(time.perf_counter())

    api.subscribe(count)
    try:
        async with sammen(api, database_url) as application:
            runtime = bot_app.runtime_of(application)
            anna = api.user("Anna")
            api.user("Hanne", user_id=COORDINATOR)
            await anna.send("/start")
            idle = await one_at_a_time(anna, sizes.chats, "/help", PAUSE)
            await _volunteers(runtime, sorted(wanted))
            async with runtime.sessions() as session:
                coordinator = await find_person(session, COORDINATOR)
            drafted = await broadcasts.draft(
                runtime, coordinator, audience="volunteers", text=TEXT, length=len(TEXT)
            )
            assert drafted.broadcast is not None and drafted.recipients == sizes.recipients
            async with sender_of(application).paused():
                await broadcasts.send_now(
                    runtime,
                    coordinator,
                    drafted.broadcast.id,
                    chat_id=COORDINATOR,
                    message_id=0,
                )
            began = time.perf_counter()
            busy: list[float] = []
            limit = 60.0 + sizes.recipients / BOT_PER_SECOND
            async with asyncio.timeout(limit):
                while True:
                    busy += await one_at_a_time(anna, 1, "/help", PAUSE)
                    async with runtime.sessions() as session:
                        if await outbox.pending_count(session) == 0:
                            break
            seconds = time.perf_counter() - began
            sends = [call for call in api.calls if is_sending(call.method) and call.status == 200]
    finally:
        await api.stop()
    # The sends to anyone else between the broadcast's first and last: they took their share.
    at = [n for n, call in enumerate(sends) if call.params.get("chat_id") in wanted]
    others = (at[-1] + 1 - at[0]) - len(at) if at else 0
    delivered = len(received)
    span = arrived[-1] - arrived[0] if arrived else 0.0
    allowed = BOT_PER_SECOND * (span + 1.0)
    broadcast_share = sum(received.values()) / allowed if arrived else 0.0
    efficiency = (sum(received.values()) + others) / allowed if arrived else 0.0
    print(
        f"while it went out: {sum(received.values())} broadcast messages and {others} other "
        f"sends (replies to the person, progress); the broadcast alone {broadcast_share:.2f} "
        "of the allowed rate"
    )
    print(
        f"recipients={sizes.recipients} delivered={delivered} seconds={seconds:.1f} "
        f"sending_seconds={span:.1f}"
    )
    print(f"idle:      p50={p(idle, 50):7.1f} ms p95={p(idle, 95):7.1f} ms")
    print(f"broadcast: p50={p(busy, 50):7.1f} ms p95={p(busy, 95):7.1f} ms ({len(busy)} replies)")
    return (
        f"broadcast efficiency={efficiency:.2f} 429s={api.too_many_requests} "
        f"lost={sizes.recipients - delivered} duplicates={sum(received.values()) - delivered} "
        f"reply_p95_ratio={ratio(p(busy, 95), p(idle, 95)):.2f}"
    )


def main() -> None:
    main_of(run, Sizes(), QUICK, "small sizes, for a smoke test", __doc__)


if __name__ == "__main__":
    main()
