"""Coordinators reach many at once: /broadcast chooses an audience, keeps the formatting of
what they wrote (or one photo with its caption), shows it as recipients will see it with the
exact count, and sends it now or at a time through the outbox's bulk lane; the coordinator's
message shows the progress and then the report (delivered, unreachable, failed).

Hundreds of recipients are arranged through storage (signing them up by chat would take
minutes); everyone whose messages are checked talks to the bot."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot.app import runtime_of
from kernel.texts import Texts
from scheduler.outbox import sender_of
from services import consent_texts
from storage import outbox, people, volunteers
from storage.models import Broadcast
from tests.e2e.journeys import (
    book,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)
from tests.e2e.stored import Stored
from tests.e2e.test_hard_kill import BotProcess

HANNE, PETER = 777000001, 777000002
CONSENT = consent_texts.shown(Texts.load(), "da", retention_months=24)
TITLE = "Gåtur i Munke Mose"


async def run_broadcasts_job(application) -> None:
    """The broadcasts job as the job queue runs it: starts what is due, shows progress."""
    [job] = application.job_queue.get_jobs_by_name("broadcasts")
    await job.run(application)


async def deliver_everything(application) -> None:
    runtime = runtime_of(application)
    async with asyncio.timeout(120):
        while True:
            await sender_of(application).deliver_due()
            async with runtime.sessions() as session:
                if await outbox.pending_count(session) == 0:
                    return
            await asyncio.sleep(0.2)  # rows postponed by a 429 are due again soon


def from_bot(user) -> list:
    return [message for message in user.messages if message.from_bot]


def saying(user, fragment: str) -> list:
    return [m for m in from_bot(user) if fragment in (m.text or m.caption or "")]


async def seed_volunteers(runtime, local_api, count: int, *, first_id: int) -> list:
    """Consented, active volunteers (and their chats), arranged through storage."""
    now = runtime.clock.now()
    users = [
        local_api.user(f"Frivillig{n}", user_id=first_id + n, language_code="da")
        for n in range(count)
    ]
    async with runtime.sessions.begin() as session:
        for user in users:
            await people.register_visit(session, user.id, now=now, is_configured_coordinator=False)
            await volunteers.grant_consent(
                session, user.id, text=CONSENT, subject=f"s{user.id}", name="F Holm", now=now
            )
            await volunteers.complete_signup(session, user.id, now=now)
    return users


async def test_a_coordinator_sends_a_formatted_message_to_all_volunteers_and_sees_the_report(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ali)
    sofie = local_api.user("Sofie")
    await register_support_person(sofie)

    asked = await hanne.send("/broadcast")
    assert "Hvem skal have beskeden?" in asked[-1].text
    await hanne.press("Alle frivillige")
    # Bold, as Telegram sends what the coordinator formatted: entities, kept as HTML.
    shown = await hanne._say(
        {
            "text": "Husk kaffe på lørdag!",
            "entities": [{"type": "bold", "offset": 0, "length": 10}],
        }
    )
    assert shown[-2].html == "<b>Husk kaffe</b> på lørdag!"  # the preview, as sent
    assert "Den går til <b>2 personer</b> lige nu" in shown[-1].html
    sending = await hanne.press("📤 Send nu")
    assert "på vej" in sending[-1].text

    await deliver_everything(application)
    for volunteer in (mette, ali):
        [got] = saying(volunteer, "Husk kaffe")
        assert got.html == "<b>Husk kaffe</b> på lørdag!"
    assert saying(sofie, "Husk kaffe") == []
    await run_broadcasts_job(application)
    report = hanne.messages[-1]
    assert report.edited and "2 fik den, 0 kunne ikke nås" in report.text
    row = await stored.value("SELECT status || ':' || delivered FROM broadcasts")
    assert row == "done:2"

    listed = await hanne.send("/broadcasts")
    assert "Alle frivillige" in listed[-1].text and "2 fik den" in listed[-1].text


async def test_everyone_going_and_a_photo_in_english(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(HANNE, PETER))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    peter = local_api.user("Peter", language_code="en", user_id=PETER)
    await peter.send("/start")
    await plan_activity(hanne, title=TITLE)
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ali)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")
    sofie = local_api.user("Sofie")
    await register_support_person(sofie, citizens=("Bo",))
    await book(sofie, TITLE, "Bo")

    await peter.send("/activities")
    await peter.press(TITLE)
    asked = await peter.press("✉️ Message everyone going")
    assert "Write the message" in asked[-1].text
    await peter.send_photo(caption="x" * 1100)
    assert "too long" in peter.messages[-1].text
    shown = await peter.send_photo(caption="We meet by the lake")
    assert shown[-2].photo and shown[-2].caption == "We meet by the lake"
    assert "It goes to <b>2 people</b> right now" in shown[-1].html  # Mette and Sofie
    await peter.press("📤 Send now")

    await deliver_everything(application)
    for person in (mette, sofie):
        [got] = saying(person, "We meet by the lake")
        assert got.photo
    assert saying(ali, "We meet by the lake") == []
    await run_broadcasts_job(application)
    assert "Done: 2 got it, 0 unreachable" in peter.messages[-1].text


async def test_500_recipients_at_telegrams_pace_and_20_who_blocked_the_bot(
    start_bot, local_api, database_url
) -> None:
    local_api.flood.enforced = True
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    users = await seed_volunteers(runtime, local_api, 500, first_id=900_000_000)
    for user in users[:20]:
        local_api.block(user.id)
    for user in users[100:110]:
        # Telegram's flood control answering for one chat: that row waits, the rest go on.
        local_api.fail_next("sendMessage", status=429, retry_after=2, chat_id=user.id)

    await hanne.send("/broadcast")
    await hanne.press("Alle frivillige")
    shown = await hanne.send("Vi mangler hænder til sommerfesten")
    assert "Den går til <b>500 personer</b>" in shown[-1].html
    await hanne.press("📤 Send nu")
    await deliver_everything(application)

    got = Counter(
        user.id for user in users for m in from_bot(user) if "sommerfesten" in (m.text or "")
    )
    assert set(got) == {user.id for user in users[20:]}
    assert set(got.values()) == {1}  # each once, whatever 429s came
    await run_broadcasts_job(application)
    assert "480 fik den, 20 kunne ikke nås" in hanne.messages[-1].text


async def test_a_scheduled_broadcast_can_be_cancelled_and_withdrawn_consent_gets_nothing(
    start_bot, local_api, database_url, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ali)
    for words in ("Første besked", "Anden besked"):
        await hanne.send("/broadcast")
        await hanne.press("Alle frivillige")
        await hanne.send(words)
        asked = await hanne.press("🕒 Send senere …")
        assert "Hvornår skal den sendes?" in asked[-1].text
        done = await hanne.send("i morgen 10:00")
        assert "Beskeden sendes" in done[-1].text and "<b>2 personer</b>" in done[-1].html

    listed = await hanne.send("/broadcasts")
    first = next(m for m in listed if "Første besked" in (m.text or ""))
    cancelled = await hanne.press("✖️ Aflys", in_message=first)
    assert "aflyst" in cancelled[-1].text
    # Mette withdraws her consent (and is erased) before the second one goes out.
    await mette.send("/delete")
    await mette.press("🗑 Ja, slet mine data")
    seen = len(mette.messages)

    clock.advance(timedelta(days=2))
    await run_broadcasts_job(application)
    await deliver_everything(application)

    assert saying(ali, "Første besked") == []
    assert len(saying(ali, "Anden besked")) == 1
    assert len(mette.messages) == seen
    await run_broadcasts_job(application)
    assert "1 fik den" in hanne.messages[-1].text

    # Planned twice, one cancelled, the other sent on Hanne's word: all in the audit log.
    [log] = await hanne.send("/audit")
    assert log.text.count("planlagde en besked til mange") == 2
    assert log.text.count("aflyste en planlagt besked til mange") == 1
    assert log.text.count("sendte en besked til mange") == 1


async def test_only_coordinators_can_broadcast(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(HANNE,))
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    refused = await mette.send("/broadcast")
    assert "kun koordinatorer" in refused[-1].text
    refused = await mette.send("/broadcasts")
    assert "kun koordinatorer" in refused[-1].text


async def test_a_killed_process_mid_broadcast_delivers_everything_after_the_restart(
    local_api, sqlite_url
) -> None:
    local_api.flood.enforced = True
    process = BotProcess(local_api, sqlite_url)
    process._env["COORDINATOR_IDS"] = str(HANNE)
    await process.start()
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    hanne.timeout = 30
    users = [
        local_api.user(f"Frivillig{n}", user_id=910_000_000 + n, language_code="da")
        for n in range(200)
    ]
    engine = create_async_engine(sqlite_url)
    try:
        await hanne.send("/start")
        now = datetime.now(UTC)
        async with AsyncSession(engine) as session, session.begin():
            for user in users:
                await people.register_visit(
                    session, user.id, now=now, is_configured_coordinator=False
                )
                await volunteers.grant_consent(
                    session, user.id, text=CONSENT, subject=f"s{user.id}", name="F", now=now
                )
                await volunteers.complete_signup(session, user.id, now=now)
        await hanne.send("/broadcast")
        await hanne.press("Alle frivillige")
        await hanne.send("Sommerfest på lørdag")
        await hanne.press("📤 Send nu")

        def arrived() -> int:
            return sum(1 for user in users for m in from_bot(user) if "Sommerfest" in m.text)

        async with asyncio.timeout(60):
            while arrived() < 40:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        await process.kill()
        await process.start()

        def everyone_has_it() -> bool:
            return all(any("Sommerfest" in m.text for m in from_bot(u)) for u in users)

        async with asyncio.timeout(90):
            while not everyone_has_it():  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        duplicates = arrived() - len(users)
        assert duplicates <= 60  # at most the sends in flight when it was killed
        async with AsyncSession(engine) as session:
            status = await session.scalar(select(Broadcast.status))
            pending = await session.scalar(
                text("SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
            )
        assert status in ("sending", "done") and pending == 0
    finally:
        await process.kill()
        await engine.dispose()


async def test_forged_broadcast_buttons_change_nothing(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(HANNE, PETER))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    peter = local_api.user("Peter", language_code="en", user_id=PETER)
    await peter.send("/start")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await hanne.send("/broadcast")
    await hanne.press("Alle frivillige")
    await hanne.send("Kun et udkast")
    draft = await stored.value("SELECT id FROM broadcasts")

    for data in (f"bc:send:{draft}", f"bc:discard:{draft}", f"bc:later:{draft}"):
        await mette.press_data(data)
        assert "kun koordinatorer" in mette.alerts[-1]["text"]
    # Another coordinator may not send or throw away someone else's draft.
    await peter.press_data(f"bc:send:{draft}")
    await peter.press_data(f"bc:discard:{draft}")
    assert "can no longer be changed" in peter.alerts[-1]["text"]

    assert await stored.value("SELECT status FROM broadcasts") == "draft"
    assert await stored.value("SELECT count(*) FROM outbox_messages WHERE kind = 'broadcast'") == 0
    assert saying(mette, "Kun et udkast") == []


async def test_volunteers_with_chosen_interests_and_a_new_time_for_a_scheduled_one(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette)  # walks
    await sign_up_volunteer(ali, interest="Brætspil og spil")

    await hanne.send("/broadcast")
    await hanne.press("Frivillige med bestemte interesser")
    await hanne.press("Færdig ✔")
    assert "Vælg mindst én interesse" in hanne.alerts[-1]["text"]
    await hanne.press("Gåture")
    await hanne.press("Færdig ✔")
    shown = await hanne.send("Gåturen er flyttet til søen")
    assert "Den går til <b>1 person</b>" in shown[-1].html
    await hanne.press("🕒 Send senere …")
    await hanne.send("i morgen 10:00")
    listed = await hanne.send("/broadcasts")
    await hanne.press("🕒 Andet tidspunkt", in_message=listed[-1])
    later = clock.now().astimezone(runtime_of(application).settings.zone) + timedelta(days=5)
    moved = await hanne.send(f"{later.day}/{later.month} 10:00")
    assert "Beskeden sendes" in moved[-1].text
    clock.advance(timedelta(days=2))
    await run_broadcasts_job(application)
    await deliver_everything(application)
    assert saying(mette, "flyttet til søen") == []  # not yet: its time was changed

    clock.advance(timedelta(days=4))
    await run_broadcasts_job(application)
    await deliver_everything(application)
    assert len(saying(mette, "flyttet til søen")) == 1
    assert saying(ali, "flyttet til søen") == []


async def test_everyone_going_to_an_activity_chosen_from_broadcast(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(HANNE,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE)
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ali)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")

    await hanne.send("/broadcast")
    asked = await hanne.press("Alle, der skal med til en aktivitet")
    assert "Hvilken aktivitet?" in asked[-1].text
    await hanne.press(TITLE)
    shown = await hanne.send("Vi mødes ved indgangen")
    assert "Den går til <b>1 person</b>" in shown[-1].html  # Mette, not Ali


async def test_abandoned_drafts_and_old_message_texts_are_forgotten_the_counts_stay(
    start_bot, local_api, database_url, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await hanne.send("/broadcast")
    await hanne.press("Alle frivillige")
    await hanne.send("Husk kaffe, Mette")
    await hanne.press("📤 Send nu")
    await deliver_everything(application)
    await run_broadcasts_job(application)
    # A second one is written and previewed, then left without an answer.
    await hanne.send("/broadcast")
    await hanne.press("Alle frivillige")
    await hanne.send("Kladde, der aldrig blev sendt")
    assert await stored.value("SELECT COUNT(*) FROM broadcasts") == 2

    [retention] = application.job_queue.get_jobs_by_name("retention")
    clock.advance(timedelta(days=3))
    await retention.run(application)
    assert await stored.value("SELECT COUNT(*) FROM broadcasts") == 1
    assert await stored.value("SELECT text FROM broadcasts") == "Husk kaffe, Mette"

    clock.advance(timedelta(days=90))
    await retention.run(application)
    assert await stored.value("SELECT text FROM broadcasts") == ""
    assert await stored.value("SELECT status || ':' || delivered FROM broadcasts") == "done:1"
    listed = await hanne.send("/broadcasts")
    assert "1 fik den" in listed[-1].text and "Husk kaffe" not in listed[-1].text


async def test_only_volunteers_who_finished_signing_up_get_a_broadcast_to_all_volunteers(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/start")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    # Ole agreed but stopped before his phone number; Tom only said hello.
    ole = local_api.user("Ole")
    await ole.send("/start")
    await ole.press("🙋 Bliv frivillig")
    await ole.send("Ole Jensen")
    await ole.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    tom = local_api.user("Tom")
    await tom.send("/start")
    seen = {user.id: len(from_bot(user)) for user in (ole, tom)}

    await hanne.send("/broadcast")
    await hanne.press("Alle frivillige")
    shown = await hanne.send("Tak for i år!")
    assert "Den går til <b>1 person</b> lige nu" in shown[-1].html
    await hanne.press("📤 Send nu")
    await deliver_everything(application)
    assert len(saying(mette, "Tak for i år!")) == 1
    for user in (ole, tom):
        assert len(from_bot(user)) == seen[user.id]
