"""The playground's server: the page, its people, its clock and its demo data, in-process."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import runtime_of
from kernel.config import Settings
from local_bot_api.incoming import PHOTO_BYTES
from playground import Playground, run_playground, start_playground
from playground import demo as demo_data
from playground.personas import (
    COORDINATOR_PERSONA_ID,
    NEW_PERSON_IDS,
    SUPPORT_PERSONA_ID,
    VOLUNTEER_PERSONA_ID,
)
from services import consent_texts as consent
from storage import bookings
from storage.models import Activity
from tests.e2e.journeys import plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored


def playground_settings(sqlite_url: str, port: int = 0) -> Settings:
    return Settings(_env_file=None, database_url=sqlite_url, playground_port=port)


def database_file_exists(sqlite_url: str) -> bool:
    return Path(sqlite_url.split(":///", 1)[1]).exists()


@pytest.fixture
async def playground(sqlite_url: str) -> AsyncIterator[Playground]:
    running = await start_playground(playground_settings(sqlite_url), poll_timeout=1)
    yield running
    await running.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_one_server_serves_the_page_its_files_and_the_bot_api(playground, http) -> None:
    async with http.get(playground.url + "/") as page:
        assert page.status == 200
        assert "Sammen playground" in await page.text()
    async with http.get(playground.url + "/static/app.js") as script:
        assert script.status == 200
        assert "javascript" in script.content_type
    async with http.get(f"{playground.api.base_url}{playground.api.token}/getMe") as me:
        assert (await me.json())["result"]["username"] == "sammen_local_bot"
    assert playground.api.base_url.startswith(playground.url)


async def people_listed(playground: Playground, http: aiohttp.ClientSession) -> list[dict]:
    async with http.get(playground.url + "/playground/people") as response:
        return (await response.json())["people"]


async def test_the_side_panel_lists_three_personas_and_adds_new_people(playground, http) -> None:
    people = await people_listed(playground, http)
    assert [(p["id"], p["kind"], p["first_name"]) for p in people] == [
        (VOLUNTEER_PERSONA_ID, "volunteer", "Mette"),
        (SUPPORT_PERSONA_ID, "support", "Lars"),
        (COORDINATOR_PERSONA_ID, "coordinator", "Hanne"),
    ]

    new = {"first_name": "Oliver", "language_code": "en"}
    async with http.post(playground.url + "/playground/people", json=new) as response:
        assert response.status == 201
        oliver = await response.json()
    assert oliver["kind"] == "new" and oliver["id"] in NEW_PERSON_IDS
    hello = await playground.api.find_user(oliver["id"]).send("/start")
    assert "Welcome to Sammen" in hello[-1].text

    wrong = {"first_name": "Oliver", "language_code": "fr"}
    async with http.post(playground.url + "/playground/people", json=wrong) as response:
        assert response.status == 400


async def test_the_volunteer_and_support_persons_are_registered_as_their_labels_say(
    sqlite_url: str, http
) -> None:
    playground = await start_playground(playground_settings(sqlite_url), poll_timeout=1)
    try:
        runtime = runtime_of(playground.application)
        stored = Stored(playground.application)
        mette = await stored.person(VOLUNTEER_PERSONA_ID)
        assert mette is not None and mette.is_active_volunteer
        assert (mette.name, mette.phone, mette.language) == ("Mette Hansen", "+4520123456", "da")
        assert mette.interest_ids and mette.available_days and mette.available_parts
        # Consent to the exact text a volunteer is shown, as after a real sign-up.
        shown = consent.shown(runtime.texts, "da", retention_months=24)
        history = await stored.consent_history(VOLUNTEER_PERSONA_ID)
        assert [(r.action, r.text_sha256) for r in history] == [("granted", shown.sha256)]

        lars = await stored.person(SUPPORT_PERSONA_ID)
        assert lars is not None and lars.is_registered_support_person
        assert (lars.name, lars.phone) == ("Lars Nielsen", "+4520123457")
        support_text = consent.SUPPORT_PERSON.shown(runtime.texts, "da", months=24)
        history = await stored.consent_history(SUPPORT_PERSONA_ID)
        assert [(r.action, r.text_sha256) for r in history] == [("granted", support_text.sha256)]

        # So a playground user can try joining and booking at once.
        await plan_activity(playground.api.find_user(COORDINATOR_PERSONA_ID))
        mette_chat = playground.api.find_user(VOLUNTEER_PERSONA_ID)
        await mette_chat.send("/activities")
        await mette_chat.press("✋ Meld mig til: Gåtur i Munke Mose")
        assert await stored.participation("Gåtur i Munke Mose") == {VOLUNTEER_PERSONA_ID: "joined"}
        lars_chat = playground.api.find_user(SUPPORT_PERSONA_ID)
        assert "/book" in (await lars_chat.send("/help"))[-1].text
        own_menus = ((VOLUNTEER_PERSONA_ID, "activities"), (SUPPORT_PERSONA_ID, "book"))
        for persona, command in own_menus:
            path = f"{playground.url}/playground/people/{persona}/commands"
            async with http.get(path) as response:
                assert command in [c["command"] for c in (await response.json())["commands"]]
    finally:
        await playground.stop()

    # A restart registers nobody twice, and keeps what they did.
    restarted = await start_playground(playground_settings(sqlite_url), poll_timeout=1)
    try:
        stored = Stored(restarted.application)
        assert len(await stored.consent_history(VOLUNTEER_PERSONA_ID)) == 1
        assert await stored.participation("Gåtur i Munke Mose") == {VOLUNTEER_PERSONA_ID: "joined"}
    finally:
        await restarted.stop()


async def test_the_side_panel_label_follows_the_stored_role(playground, http) -> None:
    new = {"first_name": "Oliver", "language_code": "da"}
    async with http.post(playground.url + "/playground/people", json=new) as response:
        oliver = await response.json()
    await sign_up_volunteer(playground.api.find_user(oliver["id"]))

    listed = {p["id"]: p for p in await people_listed(playground, http)}
    assert (listed[oliver["id"]]["kind"], listed[oliver["id"]]["group"]) == ("volunteer", "new")

    await playground.api.find_user(VOLUNTEER_PERSONA_ID).send("/delete")
    await playground.api.find_user(VOLUNTEER_PERSONA_ID).press("🗑 Ja, slet mine data")
    listed = {p["id"]: p for p in await people_listed(playground, http)}
    assert listed[VOLUNTEER_PERSONA_ID]["kind"] == "new"


async def test_the_side_panel_gives_each_persons_language(playground, http) -> None:
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    await hanne.send("/language")
    await hanne.press("🇬🇧 English")
    listed = {p["id"]: p for p in await people_listed(playground, http)}
    assert listed[COORDINATOR_PERSONA_ID]["language"] == "en"
    assert listed[SUPPORT_PERSONA_ID]["language"] == "da"


async def test_the_coordinator_persona_is_a_coordinator_with_her_own_menu(playground, http):
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    hello = await hanne.send("/start")
    assert "koordinator" in hello[-1].text

    path = f"/playground/people/{COORDINATOR_PERSONA_ID}/commands"
    async with http.get(playground.url + path) as response:
        commands = [c["command"] for c in (await response.json())["commands"]]
    assert "stats" in commands
    async with http.get(f"{playground.url}/playground/people/{SUPPORT_PERSONA_ID}/commands") as r:
        assert "stats" not in [c["command"] for c in (await r.json())["commands"]]


async def test_a_document_the_bot_sends_can_be_downloaded(playground, http) -> None:
    lars = playground.api.find_user(SUPPORT_PERSONA_ID)
    await lars.send("/start")
    sent = await lars.send("/mydata")
    document = next(m for m in sent if m.document)

    path = f"/playground/files/{SUPPORT_PERSONA_ID}/{document.message_id}"
    async with http.get(playground.url + path) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert document.document["file_name"] in response.headers["Content-Disposition"]
        assert await response.read() == await lars.download(document)
    async with http.get(f"{playground.url}/playground/files/{SUPPORT_PERSONA_ID}/999") as missing:
        assert missing.status == 404


async def test_photos_show_inline_and_calendar_files_download_by_name(playground, http):
    bot = playground.application.bot
    photo = await bot.send_photo(VOLUNTEER_PERSONA_ID, photo=PHOTO_BYTES)
    invite = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    calendar = await bot.send_document(VOLUNTEER_PERSONA_ID, document=invite, filename="gåtur.ics")

    async with http.get(
        f"{playground.url}/playground/files/{VOLUNTEER_PERSONA_ID}/{photo.id}"
    ) as r:
        assert (r.content_type, await r.read()) == ("image/png", PHOTO_BYTES)
        assert r.headers["Content-Disposition"].startswith("inline")
    path = f"/playground/files/{VOLUNTEER_PERSONA_ID}/{calendar.id}"
    async with http.get(playground.url + path) as response:
        assert await response.read() == invite
        assert response.headers["Content-Disposition"] == (
            "attachment; filename*=UTF-8''g%C3%A5tur.ics"
        )


async def test_moving_time_moves_the_bots_clock_and_runs_scheduled_work(playground, http):
    ran: list[str] = []

    async def reminders() -> None:
        ran.append("reminders")

    playground.after_time_moves.append(reminders)
    before = playground.time.clock.now()
    async with http.post(playground.url + "/playground/time", json={"step": "day"}) as response:
        moved = await response.json()
    assert ran == ["reminders"]
    assert moved["timezone"] == "Europe/Copenhagen"
    assert runtime_of(playground.application).clock.now() - before >= timedelta(days=1)

    async with http.post(playground.url + "/playground/time", json={"step": "year"}) as response:
        assert response.status == 400


async def test_retention_runs_when_the_clock_passes_a_leads_time(playground) -> None:
    newcomer = playground.personas.add_new_person("Oliver", "da")
    await newcomer.user.send("/start")
    stored = Stored(playground.application)
    assert await stored.person(newcomer.id) is not None

    for _day in range(31):
        await playground.time.advance("day")

    assert await stored.person(newcomer.id) is None
    assert await stored.person(VOLUNTEER_PERSONA_ID) is not None, "volunteers are kept"


async def test_demo_data_is_seeded_once_however_often_it_runs(sqlite_url: str) -> None:
    playground = await start_playground(
        playground_settings(sqlite_url), demo_data=True, poll_timeout=1
    )
    try:
        runtime = runtime_of(playground.application)
        assert playground.seeded == demo_data.SeedResult(
            volunteers_added=8, leads_added=4, activities_added=8, citizens_added=4
        )
        again = await demo_data.seed(runtime)
        assert again == demo_data.SeedResult(volunteers_added=0, leads_added=0, activities_added=0)

        stored = Stored(playground.application)
        seeded = [await stored.person(demo_data.DEMO_VOLUNTEER_IDS_FROM + n) for n in range(9)]
        volunteers = [person for person in seeded if person is not None]
        assert len(volunteers) == 8
        assert all(person.is_active_volunteer for person in volunteers)
        assert {person.campaign for person in volunteers} >= set(demo_data.CAMPAIGNS)

        # The ledger proves consent to the exact text a person would have been shown.
        history = await stored.consent_history(demo_data.DEMO_VOLUNTEER_IDS_FROM)
        shown = consent.shown(runtime.texts, "da", retention_months=24)
        assert [(r.action, r.text_sha256) for r in history] == [("granted", shown.sha256)]

        # Citizens are booked by their support persons into the demo activities.
        async with runtime.sessions() as session:
            walk = await session.scalar(
                select(Activity).where(Activity.title == "Gåtur i Munke Mose")
            )
            booked = await bookings.booked_citizens(session, walk.id)
        assert [(c.first_name, c.support_person_name) for c in booked] == [
            ("Anna", "Karin Mortensen"),
            ("Bo", "Karin Mortensen"),
        ]
        assert walk.citizens_booked == 2
    finally:
        await playground.stop()

    restarted = await start_playground(
        playground_settings(sqlite_url), demo_data=True, poll_timeout=1
    )
    await restarted.stop()
    assert restarted.seeded == demo_data.SeedResult(
        volunteers_added=0, leads_added=0, activities_added=0
    )


async def test_a_port_in_use_is_one_clear_line_and_exit_code_2(sqlite_url, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = await run_playground(playground_settings(sqlite_url, port))
    assert status == 2
    error = capsys.readouterr().err
    assert error.strip() == (
        f"Port {port} is already in use: stop what runs there, or choose another with "
        "--port or PLAYGROUND_PORT."
    )
    assert not database_file_exists(sqlite_url), "nothing starts when the port is taken"


async def test_moving_the_clock_shows_reminders_and_questions_at_once(playground) -> None:
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    mette = playground.api.find_user(VOLUNTEER_PERSONA_ID)
    clock = playground.time.clock
    starts = (clock.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    typed = starts.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%d/%m/%Y %H:%M")
    # One volunteer is enough: below its minimum the reminder waits for the coordinators.
    await plan_activity(hanne, when=typed, minimum="1")
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    await playground.time.advance("day")

    assert "Påmindelse: Gåtur i Munke Mose" in mette.messages[-1].text

    # A day and a few hours later the two-hour walk is over: the question is there at once.
    await playground.time.advance("day")
    for _ in range(3):
        await playground.time.advance("hour")
    asked = mette.messages[-1]
    assert "Hvordan var Gåtur i Munke Mose?" in asked.text
    assert asked.buttons() == [["😊 Godt", "😐 Okay", "🙁 Ikke godt"]]
