"""The outbox on SQLite and PostgreSQL: enqueue with the change, claim once, keep order,
retry after a lease, forget texts once sent, and lose what is owed to an erased person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from kernel.pseudonyms import pseudonym
from storage import data_rights, outbox, people
from storage.models import OutboxStatus

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def someone(sessions, telegram_id: int) -> outbox.Recipient:
    async with sessions.begin() as session:
        await people.register_visit(session, telegram_id, now=NOW, is_configured_coordinator=False)
        found = await outbox.recipient(session, telegram_id)
    assert found is not None
    return found


async def owe(sessions, to: outbox.Recipient, text: str, **extra) -> bool:
    async with sessions.begin() as session:
        return await outbox.enqueue(session, to, kind="test", text=text, now=NOW, **extra)


async def claim(sessions, *, at: datetime = NOW, limit: int = 10) -> list[outbox.Claimed]:
    async with sessions.begin() as session:
        return await outbox.claim(session, now=at, lease=LEASE, limit=limit)


async def test_a_sent_message_keeps_its_kind_and_times_but_not_its_text(sessions) -> None:
    mette = await someone(sessions, 10)
    await owe(sessions, mette, "Hej Mette", keyboard={"inline_keyboard": []})

    [taken] = await claim(sessions)
    assert (taken.chat_id, taken.text, taken.keyboard) == (10, "Hej Mette", {"inline_keyboard": []})
    async with sessions.begin() as session:
        await outbox.mark_sent(session, taken.id, now=NOW)

    async with sessions() as session:
        [row] = await outbox.rows(session)
    assert (row.kind, row.status, row.attempts, row.has_text) == ("test", "sent", 1, False)
    assert row.sent_at == NOW
    assert await claim(sessions) == []


async def test_the_same_dedupe_key_enqueues_once(sessions) -> None:
    mette = await someone(sessions, 10)

    first = await owe(sessions, mette, "Påmindelse", dedupe_key="reminder:1:1:x")
    again = await owe(sessions, mette, "Påmindelse", dedupe_key="reminder:1:1:x")
    other = await owe(sessions, mette, "Påmindelse", dedupe_key="reminder:1:1:y")

    assert (first, again, other) == (True, False, True)
    async with sessions() as session:
        assert len(await outbox.rows(session)) == 2


async def test_each_person_gets_their_messages_in_order_even_when_one_waits(sessions) -> None:
    mette, ali = await someone(sessions, 10), await someone(sessions, 11)
    for text in ("m1", "m2"):
        await owe(sessions, mette, text)
    await owe(sessions, ali, "a1")

    taken = await claim(sessions)
    assert [message.text for message in taken] == ["m1", "a1"]  # m2 waits behind m1
    async with sessions.begin() as session:
        await outbox.postpone(
            session, [taken[0].id], until=NOW + timedelta(minutes=1), attempted=True
        )
        await outbox.mark_sent(session, taken[1].id, now=NOW)

    assert await claim(sessions) == []  # m1 is not due yet, and m2 may not overtake it
    later = await claim(sessions, at=NOW + timedelta(minutes=1))
    assert [message.text for message in later] == ["m1"]
    assert later[0].attempts == 1


async def test_rows_of_a_sender_that_died_are_claimed_again_after_the_lease(sessions) -> None:
    mette = await someone(sessions, 10)
    await owe(sessions, mette, "Hej")

    assert len(await claim(sessions)) == 1
    assert await claim(sessions, at=NOW + LEASE - timedelta(seconds=1)) == []
    assert len(await claim(sessions, at=NOW + LEASE)) == 1


async def test_a_message_given_up_is_not_tried_again(sessions) -> None:
    mette = await someone(sessions, 10)
    await owe(sessions, mette, "Hej")
    await owe(sessions, mette, "Igen")

    [taken] = await claim(sessions)
    async with sessions.begin() as session:
        await outbox.mark_given_up(session, taken.id, status=OutboxStatus.DROPPED, now=NOW)

    [following] = await claim(sessions)
    assert following.text == "Igen"
    async with sessions() as session:
        first = (await outbox.rows(session))[0]
    assert (first.status, first.has_text) == ("dropped", False)


async def test_erasing_a_person_erases_what_is_owed_to_them(sessions) -> None:
    mette, ali = await someone(sessions, 10), await someone(sessions, 11)
    await owe(sessions, mette, "Til Mette")
    await owe(sessions, ali, "Til Ali")

    async with sessions.begin() as session:
        await data_rights.erase_person(
            session, 10, subject=pseudonym(10, b"k"), actor="self", now=NOW
        )

    async with sessions() as session:
        remaining = await outbox.rows(session)
    assert [row.person_id for row in remaining] == [ali.person_id]


async def test_concurrent_senders_never_claim_a_row_twice(sessions) -> None:
    recipients = [await someone(sessions, 100 + n) for n in range(20)]
    for round_ in range(3):
        for to in recipients:
            await owe(sessions, to, f"{to.chat_id}:{round_}")

    sent: list[int] = []

    async def sender() -> None:
        while True:
            taken = await claim(sessions, limit=4)
            if not taken:
                async with sessions() as session:
                    if await outbox.pending_count(session) == 0:
                        return
                await asyncio.sleep(0.01)
                continue
            for message in taken:
                sent.append(message.id)
                async with sessions.begin() as session:
                    await outbox.mark_sent(session, message.id, now=NOW)

    await asyncio.wait_for(asyncio.gather(*(sender() for _ in range(4))), timeout=60)

    assert len(sent) == 60
    assert len(set(sent)) == 60


async def test_settled_rows_are_purged_after_a_while(sessions) -> None:
    mette = await someone(sessions, 10)
    await owe(sessions, mette, "Hej")
    await owe(sessions, mette, "Igen")
    [taken] = await claim(sessions)
    async with sessions.begin() as session:
        await outbox.mark_sent(session, taken.id, now=NOW)

    async with sessions.begin() as session:
        purged = await outbox.purge_settled(session, before=NOW + timedelta(days=1))

    assert purged == 1
    async with sessions() as session:
        assert [row.status for row in await outbox.rows(session)] == ["pending"]


async def test_everything_owed_to_someone_unreachable_is_dropped_at_once(sessions) -> None:
    mette, ali = await someone(sessions, 10), await someone(sessions, 11)
    for text in ("m1", "m2", "m3"):
        await owe(sessions, mette, text)
    await owe(sessions, ali, "a1")

    async with sessions.begin() as session:
        dropped = await outbox.drop_owed_to(session, mette.person_id, now=NOW)

    assert dropped == 3
    assert [message.text for message in await claim(sessions)] == ["a1"]
