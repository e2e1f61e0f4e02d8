"""Updates of different chats run at once; each chat's run one at a time, in arrival order."""

from __future__ import annotations

import asyncio
import random

from telegram import Chat, Message, Update, User

from bot.updates import PerChatOrder


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "P", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_each_chat_keeps_its_order_while_chats_run_at_once() -> None:
    processor = PerChatOrder(working=8)
    finished: list[tuple[int, int]] = []
    running: dict[int, int] = {}
    most_at_once = 0

    async def handle(chat_id: int, number: int) -> None:
        nonlocal most_at_once
        running[chat_id] = running.get(chat_id, 0) + 1
        assert running[chat_id] == 1, "two updates of one chat ran at once"
        most_at_once = max(most_at_once, sum(running.values()))
        await asyncio.sleep(random.uniform(0, 0.005))
        running[chat_id] -= 1
        finished.append((chat_id, number))

    rng = random.Random(7)
    arrivals = [(rng.choice((1, 2, 3, 4)), number) for number in range(200)]
    await asyncio.gather(
        *(
            processor.process_update(_update(number, chat_id), handle(chat_id, number))
            for chat_id, number in arrivals
        )
    )

    for chat_id in (1, 2, 3, 4):
        sent = [number for chat, number in arrivals if chat == chat_id]
        assert [number for chat, number in finished if chat == chat_id] == sent
    assert most_at_once > 1  # chats did not wait for each other
    assert processor.waiting_in(_update(999, 1)) == 0  # lanes go when their chat is done


async def test_a_flood_in_one_chat_leaves_room_for_the_others() -> None:
    processor = PerChatOrder(working=2)
    order: list[str] = []
    release = asyncio.Event()

    async def slow(name: str) -> None:
        await release.wait()
        order.append(name)

    async def quick(name: str) -> None:
        order.append(name)

    flood = [
        asyncio.ensure_future(processor.process_update(_update(n, 1), slow(f"flood {n}")))
        for n in range(50)
    ]
    await asyncio.sleep(0.01)
    await asyncio.wait_for(processor.process_update(_update(99, 2), quick("other")), 1)

    assert order == ["other"]  # answered while all fifty of the flood still wait
    release.set()
    await asyncio.gather(*flood)
    assert order[1:] == [f"flood {n}" for n in range(50)]
