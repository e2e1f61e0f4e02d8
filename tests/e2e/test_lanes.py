"""Replies never wait behind bot-initiated sending, and Telegram's limits are kept: against
the local server enforcing them (30 sends a second, 20 a minute per group, about one a second
per private chat), a 429 in one chat holds up only that chat, the outbox delivers everything
once, a slow answer is not sent twice, and a killed process's claims are taken over."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot import rate_limits
from bot.app import runtime_of
from local_bot_api.flood import is_sending
from scheduler.outbox import sender_of
from services import notices
from storage import outbox, people
from storage.models import OutboxMessage
from tests.e2e.test_hard_kill import BotProcess

HELP = "/mydata"


async def owe_many(application, texts_by_user) -> None:
    """Register people and enqueue their messages in one transaction, as a big notice does."""
    runtime = runtime_of(application)
    now = runtime.clock.now()
    async with runtime.sessions.begin() as session:
        for user, texts in texts_by_user:
            await people.register_visit(session, user.id, now=now, is_configured_coordinator=False)
            for text in texts:
                await notices.owe(
                    session, runtime, user.id, lambda _language, t=text: t, kind="test"
                )


async def deliver_everything(application) -> None:
    runtime = runtime_of(application)
    while True:
        await sender_of(application).deliver_due()
        async with runtime.sessions() as session:
            if await outbox.pending_count(session) == 0:
                return
        await asyncio.sleep(0.2)  # rows postponed by a 429 are due again soon


def texts_from_bot(user) -> list[str]:
    return [m.text for m in user.messages if m.from_bot]


def answered(local_api, user) -> list[int]:
    """Where the bot's successful sends to this person stand in the server's log of calls."""
    return [
        index
        for index, call in enumerate(local_api.calls)
        if call.method == "sendMessage" and call.status == 200 and call.params["chat_id"] == user.id
    ]


async def test_a_429_in_one_chat_and_a_flood_in_another_hold_up_only_those_chats(
    start_bot, local_api
) -> None:
    local_api.flood.enforced = True
    await start_bot()
    mette, frede, anna = (local_api.user(name) for name in ("Mette", "Frede", "Anna"))
    for person in (mette, frede, anna):
        await person.send("/start")
    for person in (mette, frede):
        person.timeout = 60
    before = len(local_api.calls)
    local_api.fail_next("sendMessage", status=429, retry_after=4, chat_id=mette.id)

    held_up = asyncio.create_task(mette.send("/help"))
    flood = asyncio.gather(*(frede.send(f"hej {number}") for number in range(15)))
    await frede.next_message(timeout=30)  # the flood is being answered
    answers = [await anna.send("/help") for _ in range(3)]
    mette_answer = await held_up
    await flood

    assert all(answer and HELP in answer[-1].text for answer in answers)
    # Anna was answered three times over while Mette waited out her 429: it did not hold
    # her up, nor did Frede's flood.
    anna_done = max(answered(local_api, anna))
    assert anna_done < min(i for i in answered(local_api, mette) if i > before)
    # Mette's reply came once, after her wait. Frede heard once that the bot answers his
    # newest message, and was not answered fifteen times.
    assert mette_answer and HELP in mette_answer[-1].text
    assert sum(HELP in text for text in texts_from_bot(mette)) == 1
    frede_heard = texts_from_bot(frede)[1:]  # after the welcome
    assert sum("Du skriver hurtigere, end jeg kan følge med" in text for text in frede_heard) == 1
    assert len(frede_heard) < 15
    assert not any(
        call.status == 429 for call in local_api.calls if call.params.get("chat_id") == anna.id
    )


async def test_the_outbox_delivers_everything_once_within_the_limits(start_bot, local_api) -> None:
    local_api.flood.enforced = True
    application = await start_bot()
    many = [local_api.user(f"Person {n}") for n in range(150)]
    # 200 messages: 50 people are owed two, which must arrive in order and at their chat's pace.
    owed = [
        (user, [f"{user.first_name} a"] + ([f"{user.first_name} b"] if n < 50 else []))
        for n, user in enumerate(many)
    ]

    async with sender_of(application).paused():
        await owe_many(application, owed)
    await deliver_everything(application)

    for user, texts in owed:
        assert texts_from_bot(user) == texts  # none lost, none twice, in order
    assert local_api.too_many_requests == 0


async def test_answers_that_come_late_do_not_send_a_message_twice(start_bot, local_api) -> None:
    local_api.flood.enforced = True
    local_api.slow_every("sendMessage", 10, 6.0)
    application = await start_bot()
    many = [local_api.user(f"Person {n}") for n in range(40)]
    owed = [(user, [f"Til {user.first_name}"]) for user in many]

    async with sender_of(application).paused():
        await owe_many(application, owed)
    await deliver_everything(application)

    sends = Counter(
        call.params.get("chat_id") for call in local_api.calls if call.method == "sendMessage"
    )
    for user, texts in owed:
        assert texts_from_bot(user) == texts
        assert sends[user.id] == 1


async def test_a_restarted_process_takes_over_the_claims_of_the_killed_one(
    local_api, sqlite_url
) -> None:
    process = BotProcess(local_api, sqlite_url)
    await process.start()
    mette = local_api.user("Mette")
    try:
        local_api.slow("sendMessage", 120)  # the sends of the first process never come back
        engine = create_async_engine(sqlite_url)
        async with AsyncSession(engine) as session, session.begin():
            await people.register_visit(
                session, mette.id, now=_now(), is_configured_coordinator=False
            )
            to = await outbox.recipient(session, mette.id)
            assert to is not None
            await outbox.enqueue(session, to, kind="test", text="Hej Mette", now=_now())
        async with asyncio.timeout(30):
            # The first process's next tick claims it; it runs elsewhere, so look now and then.
            while not await _claimed(engine):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        await process.kill()
        local_api.slow("sendMessage", 0)

        await process.start()

        # The lease is two minutes: the message arriving well before proves the take-over.
        told = await mette.next_message(timeout=30)
        assert told.text == "Hej Mette"
        await engine.dispose()
    finally:
        await process.kill()


def _now() -> datetime:
    return datetime.now(UTC)


async def _claimed(engine) -> bool:
    async with AsyncSession(engine) as session:
        holder = await session.scalar(select(OutboxMessage.claimed_by))
    return holder is not None


async def test_the_first_message_of_an_answer_goes_before_other_peoples_follow_ups(
    start_bot, local_api, monkeypatch
) -> None:
    # A small budget for the whole bot, so that people's answers have to wait for places.
    monkeypatch.setattr(rate_limits, "BOT_PER_SECOND", 4)
    local_api.flood.enforced = True
    await start_bot()
    answering = [local_api.user(name) for name in ("Mette", "Frede", "Anna", "Karen", "Bent")]
    others = [local_api.user(name) for name in ("Sofie", "Lone", "Jens", "Hans")]
    for person in answering:
        person.timeout = 30
        await person.send("/start")
        await person.press("🙋 Bliv frivillig")
    for person in others:
        await person.send("/start")
    await asyncio.sleep(1.6)  # the bot's budget is all free again
    # The others' answers take every place of the next second...
    await asyncio.gather(*(person.send("/help") for person in others))
    before = len(local_api.calls)

    # ... while everyone answers the name question at once: a thanks, then the consent
    # question, both waiting for places.
    answers = await asyncio.gather(
        *(person.send(f"{person.first_name} Jensen") for person in answering)
    )
    assert all(any("samtykke" in m.text.lower() for m in answer) for answer in answers)

    sends = [
        (index, call.params["chat_id"])
        for index, call in enumerate(local_api.calls[before:])
        if is_sending(call.method) and call.status == 200
    ]
    firsts: dict[int, int] = {}
    follow_ups: list[int] = []
    for index, chat in sends:
        if chat in firsts:
            follow_ups.append(index)
        else:
            firsts[chat] = index
    assert set(firsts) == {person.id for person in answering}
    # Everyone heard the bot take their answer before anyone's answer went on.
    assert follow_ups and max(firsts.values()) < min(follow_ups)
    assert local_api.too_many_requests == 0
