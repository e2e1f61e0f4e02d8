"""What a person can do in the playground besides typing, and who they can be: locations,
photos and stickers sent as real updates, Telegram's length limit, and the demo people's chats."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from kernel.config import Settings
from local_bot_api.limits import MAX_TEXT
from playground import Playground, start_playground
from playground import demo as demo_data
from playground.personas import COORDINATOR_PERSONA_ID, VOLUNTEER_PERSONA_ID
from tests.e2e.stored import Stored


def playground_settings(sqlite_url: str) -> Settings:
    return Settings(_env_file=None, database_url=sqlite_url, playground_port=0)


@pytest.fixture
async def playground(sqlite_url: str) -> AsyncIterator[Playground]:
    running = await start_playground(playground_settings(sqlite_url), poll_timeout=1)
    yield running
    await running.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def act(
    http: aiohttp.ClientSession, playground: Playground, user_id: int, action: str, body: dict
) -> tuple[int, dict]:
    async with http.post(f"{playground.url}/_local/users/{user_id}/{action}", json=body) as r:
        return r.status, await r.json()


async def test_a_location_sent_from_the_page_answers_the_bots_question(playground, http) -> None:
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    await hanne.send("/new_activity")
    await hanne.send("Gåtur i Munke Mose")
    await hanne.send("Vi går en tur rundt om søen.")
    await hanne.press("Gåture")
    asked = await hanne.send("Munke Mose, Odense")
    assert "📎 → Placering" in asked[-1].text

    status, answer = await act(
        http, playground, hanne.id, "location", {"latitude": 55.3937, "longitude": 10.3806}
    )

    assert status == 200
    assert hanne.messages[-2].location == {"latitude": 55.3937, "longitude": 10.3806}
    assert "Hvornår starter den?" in answer["messages"][-1]["text"]
    stored = Stored(playground.application)
    assert await stored.value("SELECT latitude FROM activities") == pytest.approx(55.3937)


@pytest.mark.parametrize(
    "body",
    [{"latitude": 91, "longitude": 10}, {"latitude": "55", "longitude": 10}, {"latitude": 55}],
)
async def test_a_location_off_the_map_is_refused(playground, http, body) -> None:
    status, answer = await act(http, playground, VOLUNTEER_PERSONA_ID, "location", body)
    assert status == 400
    assert "latitude" in answer["error"] or "longitude" in answer["error"]
    assert playground.api.find_user(VOLUNTEER_PERSONA_ID).messages == []


async def test_photos_and_stickers_from_the_page_reach_the_bot(playground, http) -> None:
    mette = playground.api.find_user(VOLUNTEER_PERSONA_ID)

    status, photo = await act(http, playground, mette.id, "photo", {"caption": "Se her"})
    assert status == 200
    sent = mette.messages[0]
    assert sent.photo and sent.caption == "Se her" and not sent.from_bot
    assert photo["messages"], "the bot answers a photo"

    status, refused = await act(http, playground, mette.id, "photo", {"caption": "x" * 1025})
    assert status == 400 and refused["error"].startswith("MEDIA_CAPTION_TOO_LONG")

    status, sticker = await act(http, playground, mette.id, "sticker", {})
    assert status == 200
    assert any(m.sticker for m in mette.messages if not m.from_bot)
    assert sticker["messages"], "the bot answers a sticker"


async def test_text_longer_than_telegram_allows_is_refused(playground, http) -> None:
    mette = playground.api.find_user(VOLUNTEER_PERSONA_ID)

    status, answer = await act(http, playground, mette.id, "send", {"text": "a" * (MAX_TEXT + 1)})
    assert status == 400 and answer["error"].startswith("MESSAGE_TOO_LONG")
    # Telegram counts UTF-16 code units: an emoji is two.
    status, _ = await act(http, playground, mette.id, "send", {"text": "😀" * (MAX_TEXT // 2 + 1)})
    assert status == 400
    assert mette.messages == [], "a refused message never reaches the bot"

    status, _ = await act(http, playground, mette.id, "send", {"text": "a" * MAX_TEXT})
    assert status == 200


async def test_the_demo_peoples_chats_show_what_the_bot_sends_them(sqlite_url, http) -> None:
    playground = await start_playground(
        playground_settings(sqlite_url), demo_data=True, poll_timeout=1
    )
    try:
        async with http.get(playground.url + "/playground/people") as response:
            listed = (await response.json())["people"]
        demo = [(p["first_name"], p["kind"]) for p in listed if p["group"] == "demo"]
        assert len(demo) == len(demo_data.VOLUNTEERS) + len(demo_data.SUPPORT_PERSONS)
        assert ("Mette", "volunteer") in demo and ("Karin", "support") in demo

        # The demo walk is in two days, with the first demo volunteer going.
        for _ in range(2):
            await playground.time.advance("day")

        first = demo_data.DEMO_VOLUNTEER_IDS_FROM
        chat = playground.api.chat(first)
        assert any("Påmindelse: Gåtur i Munke Mose" in (m.text or "") for m in chat)
        path = f"{playground.url}/_local/chats/{first}"
        async with http.get(path) as response:
            assert (await response.json())["messages"]
    finally:
        await playground.stop()


async def test_the_coordinator_persona_broadcasts_from_the_page(playground, http) -> None:
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    volunteer = playground.api.find_user(VOLUNTEER_PERSONA_ID)
    await act(http, playground, hanne.id, "send", {"text": "/broadcast"})
    await act(http, playground, hanne.id, "press", {"button_text": "Alle frivillige"})
    status, answer = await act(http, playground, hanne.id, "send", {"text": "Husk regntøj"})
    assert status == 200
    assert "Den går til" in answer["messages"][-1]["text"]

    await act(http, playground, hanne.id, "press", {"button_text": "📤 Send nu"})

    while "Husk regntøj" not in (await volunteer.next_message(timeout=30)).text:
        pass
    stored = Stored(playground.application)
    assert await stored.value("SELECT recipients FROM broadcasts") >= 1


async def test_a_scheduled_broadcast_goes_when_the_time_control_passes_its_time(
    playground, http
) -> None:
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    volunteer = playground.api.find_user(VOLUNTEER_PERSONA_ID)
    await act(http, playground, hanne.id, "send", {"text": "/broadcast"})
    await act(http, playground, hanne.id, "press", {"button_text": "Alle frivillige"})
    await act(http, playground, hanne.id, "send", {"text": "Husk madpakken i morgen"})
    await act(http, playground, hanne.id, "press", {"button_text": "🕒 Send senere …"})
    status, answer = await act(http, playground, hanne.id, "send", {"text": "i morgen 09:00"})
    assert status == 200 and "Beskeden sendes" in answer["messages"][-1]["text"]
    seen = len(volunteer.messages)

    # Two days on: past "i morgen 09:00" whatever the hour the test runs at.
    await playground.time.advance("day")
    await playground.time.advance("day")
    # Started by the move itself, not seconds later by the job's own tick.
    stored = Stored(playground.application)
    assert await stored.value("SELECT status FROM broadcasts") != "scheduled"
    while "Husk madpakken" not in ((await volunteer.next_message(timeout=30)).text or ""):
        pass
    told = [m.text or "" for m in volunteer.messages[seen:]]
    assert sum("Husk madpakken i morgen" in text for text in told) == 1
    assert await stored.value("SELECT status FROM broadcasts") in ("sending", "done")


async def test_the_coordinator_invites_a_new_person_from_the_side_panel(playground, http) -> None:
    """Hanne makes a link with /invite; a new person added in the side panel opens it (the
    page turns a pasted bot link into /start, as Telegram does) and becomes a support person
    who can book at once."""
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    await hanne.send("/invite")
    shown = await hanne.press("➕ Invitér en støtteperson")
    caption = shown[-1].caption or ""
    start = caption.split("?start=", 1)[1].split()[0].split('"')[0]
    assert start.startswith("inv_")

    new = {"first_name": "Karin", "language_code": "da"}
    async with http.post(playground.url + "/playground/people", json=new) as response:
        assert response.status == 201
        karin = playground.api.find_user((await response.json())["id"])
    opened = await karin.send(f"/start {start}")
    assert "inviteret til at blive støtteperson" in opened[-1].text
    await karin.press("👉 Kom i gang")
    await karin.send("Karin Mortensen")
    await karin.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await karin.share_contact("+4520111222")
    await karin.send("Bostedet Skovbo")
    done = await karin.press("✅ Ja, det er rigtigt")
    assert "registreret som støtteperson" in done[-1].text
    async with http.get(playground.url + "/playground/people") as response:
        page = await response.json()
    listed = {person["id"]: person for person in page["people"]}
    assert listed[karin.id]["kind"] == "support"
    # The coordinator persona is configured, so there is no setup link to show.
    assert page["setup_link"] is None
