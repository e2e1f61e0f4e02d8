"""Messages owed to people arrive even when something goes wrong on the way: a crash before
sending, Telegram's flood control, a person who blocked the bot, two bots on one database."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot import app as bot_app
from bot.app import runtime_of
from scheduler.outbox import sender_of
from services import notices
from services.retention import forget_on_schedule
from storage import outbox
from tests.conftest import settings_for
from tests.e2e.journeys import plan_activity, sign_up_volunteer

COORDINATOR_ID = 777000001


async def owe(application, user, text: str) -> None:
    """Enqueue a message for `user` the way a handler does, inside a transaction."""
    runtime = runtime_of(application)
    async with runtime.sessions.begin() as session:
        await notices.owe(session, runtime, user.id, lambda _language: text, kind="test")


async def rows_of(application, user) -> list[outbox.OutboxRow]:
    runtime = runtime_of(application)
    async with runtime.sessions() as session:
        found = await outbox.recipient(session, user.id)
        assert found is not None
        return await outbox.rows(session, person_id=found.person_id)


def sends_to(local_api, user) -> int:
    return sum(
        1
        for call in local_api.calls
        if call.method == "sendMessage" and call.params.get("chat_id") == user.id
    )


async def test_a_message_owed_before_a_crash_arrives_after_the_restart(
    start_bot, local_api, monkeypatch
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="1")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ida)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    await ida.send("/activities")
    await ida.press("⏳ Venteliste: Gåtur i Munke Mose")

    # The bot dies right after committing the leave, before its sender runs.
    async def dead() -> None:
        return None

    monkeypatch.setattr(sender_of(application), "deliver_due", dead)
    await mette.send("/my_activities")
    await mette.press("Meld fra: Gåtur i Munke Mose")
    await bot_app.stop(application)
    assert [row.status for row in await rows_of(application, ida)] == ["pending"]

    await start_bot(coordinator_ids=(COORDINATOR_ID,))

    told = await ida.next_message()
    assert "der er blevet en plads fri" in told.text
    [mine] = await ida.send("/my_activities")
    assert "✅ Du skal med" in mine.text


async def test_flood_control_postpones_a_message_until_telegram_allows_it(
    bot, local_api, clock
) -> None:
    mette = local_api.user("Mette")
    await mette.send("/start")
    local_api.fail_next("sendMessage", status=429, retry_after=30, chat_id=mette.id)
    before = sends_to(local_api, mette)

    await owe(bot, mette, "Hej Mette")
    await sender_of(bot).deliver_due()

    [row] = await rows_of(bot, mette)
    assert (row.status, row.attempts, row.has_text) == ("pending", 0, True)
    assert row.next_attempt_at >= clock.now() + timedelta(seconds=29)
    assert sends_to(local_api, mette) == before + 1

    clock.advance(timedelta(seconds=30))
    await sender_of(bot).deliver_due()

    told = await mette.next_message()
    assert told.text == "Hej Mette"
    [row] = await rows_of(bot, mette)
    assert (row.status, row.has_text) == ("sent", False)
    assert sends_to(local_api, mette) == before + 2


async def test_a_person_who_blocked_the_bot_is_not_tried_again_and_again(
    bot, local_api, clock
) -> None:
    mette = local_api.user("Mette")
    await mette.send("/start")
    local_api.block(mette.id)
    before = sends_to(local_api, mette)

    for text in ("Første", "Anden", "Tredje"):
        await owe(bot, mette, text)
    await sender_of(bot).deliver_due()
    clock.advance(timedelta(hours=1))
    await sender_of(bot).deliver_due()

    assert [row.status for row in await rows_of(bot, mette)] == ["dropped"] * 3
    assert sends_to(local_api, mette) == before + 1


async def test_network_trouble_is_retried_with_growing_pauses_then_given_up(
    bot, local_api, clock
) -> None:
    mette = local_api.user("Mette")
    await mette.send("/start")
    local_api.fail_next("sendMessage", status=502, times=100, chat_id=mette.id)

    await owe(bot, mette, "Hej")
    waits = []
    for _attempt in range(10):
        await sender_of(bot).deliver_due()
        [row] = await rows_of(bot, mette)
        if row.status != "pending":
            break
        waits.append(row.next_attempt_at - clock.now())
        clock.advance(row.next_attempt_at - clock.now() + timedelta(seconds=1))

    assert (row.status, row.has_text) == ("failed", False)
    assert waits == sorted(waits) and len(waits) >= 3


async def test_a_volunteer_erased_by_retention_gives_their_place_to_the_one_waiting(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,), volunteer_retention_months=1)
    zone = ZoneInfo("Europe/Copenhagen")
    day = (clock.now() + timedelta(days=60)).astimezone(zone)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when=day.strftime("%d/%m/%Y 14:00"), minimum="1", maximum="1")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    clock.advance(timedelta(days=20))
    await sign_up_volunteer(ida)
    await ida.send("/activities")
    await ida.press("⏳ Venteliste: Gåtur i Munke Mose")

    clock.advance(timedelta(days=15))  # Mette has now been away for more than a month
    result = await forget_on_schedule(runtime_of(application))
    await sender_of(application).deliver_due()

    assert result.volunteers_erased == 1
    told = await ida.next_message()
    assert "der er blevet en plads fri" in told.text


async def test_two_bots_on_one_postgresql_never_send_a_message_twice(
    start_bot, local_api, postgres_url
) -> None:
    first = await start_bot(database_url=postgres_url)
    second = bot_app.build_application(
        settings_for(local_api, postgres_url), clock=runtime_of(first).clock
    )
    await second.initialize()
    people = [local_api.user(name) for name in ("Mette", "Ali", "Ida", "Bo")]
    for person in people:
        await person.send("/start")
    try:
        for round_ in range(10):
            for person in people:
                await owe(first, person, f"{person.first_name} {round_}")
        await asyncio.gather(
            sender_of(first).deliver_due(),
            sender_of(second).deliver_due(),
            sender_of(first).deliver_due(),
        )
        # The running bot's own kicks and ticks may still be finishing a pass, and ten
        # messages to one person are more than Telegram lets a chat have at once: the last
        # wait for room in the chat's budget.
        runtime = runtime_of(first)
        while True:
            await sender_of(first).deliver_due()
            async with runtime.sessions() as session:
                if await outbox.pending_count(session) == 0:
                    break
            await asyncio.sleep(0.2)
    finally:
        await second.shutdown()
        await runtime_of(second).engine.dispose()

    for person in people:
        texts = [
            m.text for m in person.messages if m.from_bot and m.text.startswith(person.first_name)
        ]
        assert texts == [f"{person.first_name} {n}" for n in range(10)]  # once each, in order
        assert all(row.status == "sent" for row in await rows_of(first, person))


async def test_mydata_lists_the_messages_sent_without_their_texts(bot, local_api) -> None:
    mette = local_api.user("Mette")
    await mette.send("/start")
    await owe(bot, mette, "Hej Mette")
    await sender_of(bot).deliver_due()
    await mette.next_message()

    [document] = await mette.send("/mydata")

    export = json.loads(await mette.download(document))
    [message] = export["messages"]
    assert (message["kind"], message["status"]) == ("test", "sent")
    assert "Hej Mette" not in json.dumps(export)
