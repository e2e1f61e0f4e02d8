"""Work that grows with the data runs in the database: the audience of a new activity is
chosen by SQL (interests, weekday and part of the day), its notices are written after the
publishing commit and exactly once (also when the process died in between), and the
volunteers' list is paged and counted by the database, naming only a few of those going.

Many activities and volunteers are arranged through storage (signing up forty people by chat
would take minutes); the people whose replies are checked talk to the bot.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from bot import app as bot_app
from bot.app import runtime_of
from kernel.pseudonyms import pseudonym
from services import consent_texts, notices, planning
from storage import activities, interests, participation, people, volunteers
from tests.e2e.journeys import plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
DAYS = ("Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn")
PARTS = ("Formiddag", "Eftermiddag", "Aften")


async def sign_up(user, *, interest: str, days: tuple[str, ...], parts: tuple[str, ...]) -> None:
    """A Danish-speaking volunteer free only on these days and parts of the day."""
    await user.send("/start")
    await user.press("🙋 Bliv frivillig")
    await user.send(f"{user.first_name} Jensen")
    await user.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await user.share_contact(f"+45201{user.id % 100_000:05d}")
    await user.press("Spring over – ingen e-mail")
    await user.press(interest)
    await user.press("Færdig ✔️")
    for day in days:
        await user.press(day)
    for part in parts:
        await user.press(part)
    await user.press("Færdig ✔️")
    await user.press("✅ Ja, tilmeld mig")


async def told_of_new_activities(application) -> list[int]:
    """Chat ids owed a new-activity notice, one entry per row."""
    async with runtime_of(application).sessions() as session:
        rows = await session.execute(
            text("SELECT chat_id FROM outbox_messages WHERE kind = 'new_activity' ORDER BY id")
        )
        return [chat_id for (chat_id,) in rows]


def tomorrow(clock, application) -> int:
    """Tomorrow's weekday in the municipality (0 = Monday): `plan_activity` plans for then."""
    zone = runtime_of(application).settings.zone
    return (clock.now().astimezone(zone) + timedelta(days=1)).weekday()


async def test_the_database_chooses_who_hears_of_a_new_activity(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    day = tomorrow(clock, application)
    other_day = (day + 2) % 7
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    sofie, karl = local_api.user("Sofie"), local_api.user("Karl")
    await sign_up(mette, interest="Gåture", days=(DAYS[day],), parts=("Formiddag",))
    await sign_up(ali, interest="Brætspil og spil", days=DAYS, parts=PARTS)  # not walks
    await sign_up(sofie, interest="Gåture", days=(DAYS[other_day],), parts=PARTS)  # other day
    await sign_up(karl, interest="Gåture", days=(DAYS[day],), parts=("Aften",))  # evenings
    seen = {user.id: len(user.messages) for user in (ali, sofie, karl)}

    await plan_activity(hanne, title="Gåtur i Munke Mose", when="i morgen 10:00")

    assert "1 frivillig med passende interesser og tid har fået besked" in hanne.messages[-1].text
    notice = await mette.next_message()
    assert "Ny fællesaktivitet: Gåtur i Munke Mose" in notice.text
    assert await told_of_new_activities(application) == [mette.id]
    await local_api.wait_idle()
    for user in (ali, sofie, karl):
        assert user.messages[seen[user.id] :] == []


async def test_a_publish_cut_off_after_its_commit_still_announces_once_after_a_restart(
    start_bot, local_api, monkeypatch
) -> None:
    await _cut_off(start_bot, local_api, monkeypatch, {})


async def test_a_publish_cut_off_after_its_commit_announces_once_on_postgresql(
    start_bot, local_api, monkeypatch, postgres_url
) -> None:
    await _cut_off(start_bot, local_api, monkeypatch, {"database_url": postgres_url})


async def _cut_off(start_bot, local_api, monkeypatch, database: dict[str, str]) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,), **database)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette, interest="Gåture")

    # The process dies right after the publishing commit: the announcement never starts.
    async def dies(runtime, published) -> int:
        return 0

    monkeypatch.setattr(planning, "announce_published", dies)

    await plan_activity(hanne, title="Gåtur i Munke Mose")

    assert "1 frivillig med passende interesser og tid har fået besked" in hanne.messages[-1].text
    assert await told_of_new_activities(application) == []
    await bot_app.stop(application)  # the bot goes down before anything was sent
    monkeypatch.undo()
    restarted = await start_bot(coordinator_ids=(COORDINATOR_ID,), **database)
    runtime = runtime_of(restarted)

    # The scheduled job runs (twice at once, and again later): the notice is owed once.
    await asyncio.gather(planning.announce_pending(runtime), planning.announce_pending(runtime))
    assert await planning.announce_pending(runtime) == 0
    notice = await mette.next_message()
    assert "Ny fællesaktivitet: Gåtur i Munke Mose" in notice.text
    assert await told_of_new_activities(restarted) == [mette.id]


async def _volunteers(runtime, first_id: int, count: int, interest_id: int) -> list[int]:
    """Consented, active volunteers free at all times who like `interest_id`."""
    shown = consent_texts.shown(runtime.texts, "da", retention_months=24)
    now = runtime.clock.now()
    ids = []
    async with runtime.sessions.begin() as session:
        for number in range(count):
            telegram_id = first_id + number
            await people.register_visit(
                session, telegram_id, now=now, is_configured_coordinator=False
            )
            person = await volunteers.grant_consent(
                session,
                telegram_id,
                text=shown,
                subject=pseudonym(telegram_id, runtime.pseudonym_key),
                name=f"Frivillig{number:02d} Holm",
                now=now,
            )
            await volunteers.toggle_interest(session, telegram_id, interest_id)
            await volunteers.complete_signup(session, telegram_id, now=now)
            ids.append(person.id)
    return ids


async def _activity(runtime, title: str, interest_id: int, hours: int) -> int:
    now = runtime.clock.now()
    async with runtime.sessions.begin() as session:
        coordinator = await people.register_visit(
            session, COORDINATOR_ID, now=now, is_configured_coordinator=True
        )
        draft = await activities.start_draft(session, by=coordinator.id, now=now)
        await activities.change(
            session, draft.id, by=coordinator.id, now=now,
            title=title, interest_id=interest_id, place="Munke Mose", location_answered=True,
            starts_at=now + timedelta(hours=hours), duration_minutes=60, citizen_seats=0,
            min_volunteers=1, max_volunteers=20, accessibility_answered=True,
        )  # fmt: skip
        [activity] = await activities.publish(
            session, draft.id, by=coordinator.id, now=now, zone=runtime.settings.zone
        )
    return activity.id


async def test_the_list_is_paged_and_counted_by_the_database(start_bot, local_api) -> None:
    await _paged_list(await start_bot(coordinator_ids=(COORDINATOR_ID,)), local_api)


async def test_the_list_is_paged_and_counted_by_postgresql(
    start_bot, local_api, postgres_url
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,), database_url=postgres_url)
    await _paged_list(application, local_api)


async def _paged_list(application, local_api) -> None:
    runtime = runtime_of(application)
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette, interest="Gåture")
    async with runtime.sessions() as session:
        found = {i.slug: i.id for i in await interests.active(session)}
    walks, games = found["walks"], found["games"]
    # Ten activities: the three walks (later than the games) match Mette and come first.
    for number in range(7):
        await _activity(runtime, f"Spil {number}", games, hours=30 + number)
    busy = await _activity(runtime, "Gåtur A", walks, hours=60)
    await _activity(runtime, "Gåtur B", walks, hours=61)
    await _activity(runtime, "Gåtur C", walks, hours=62)
    for person_id in await _volunteers(runtime, 900_000, 11, games):
        await participation.join(runtime.sessions, busy, person_id, now=runtime.clock.now())

    [first] = await mette.send("/activities")

    assert "(10 i alt, side 1 af 4)" in first.text
    assert [first.text.index(t) > 0 for t in ("Gåtur A", "Gåtur B", "Gåtur C")] == [True] * 3
    assert "Spil" not in first.text
    # Eleven are going: eight are named, the rest counted.
    assert "Frivillig00, Frivillig01" in first.text and "og 3 andre" in first.text
    assert "Frivillig08" not in first.text
    second = await mette.press("Næste ▶️", in_message=first)
    assert "(10 i alt, side 2 af 4)" in second[-1].text
    assert [t in second[-1].text for t in ("Spil 0", "Spil 1", "Spil 2", "Spil 3")] == [
        True,
        True,
        True,
        False,
    ]
    last = await mette.press("Næste ▶️", in_message=second[-1])
    last = await mette.press("Næste ▶️", in_message=last[-1])
    assert "(10 i alt, side 4 af 4)" in last[-1].text and "Spil 6" in last[-1].text


async def test_a_batch_of_notices_run_twice_is_owed_once(bot, local_api) -> None:
    stored = Stored(bot)
    runtime = runtime_of(bot)
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette, interest="Gåture")
    await sign_up_volunteer(ali, interest="Gåture")
    async with runtime.sessions() as session:
        walks = {i.slug: i.id for i in await interests.active(session)}["walks"]
    activity_id = await _activity(runtime, "Gåtur", walks, hours=30)
    async with runtime.sessions.begin() as session:
        first = await activities.find(session, activity_id)
    assert first is not None

    async def announce() -> int:
        async with runtime.sessions.begin() as session:
            return await notices.announce(session, runtime, first)

    assert await announce() == 2
    assert await announce() == 0
    assert sorted(await told_of_new_activities(bot)) == sorted([mette.id, ali.id])
    assert await stored.value("SELECT count(DISTINCT dedupe_key) FROM outbox_messages") == 2
