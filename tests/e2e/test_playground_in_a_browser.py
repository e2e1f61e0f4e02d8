"""The playground page in Chromium: a new person signs up by clicking through it, the personas
are what they say, and the page works in a phone-sized window.

Uses Debian's chromium (a browser download is not possible here). Without it, or without the
Python package playwright, the test is skipped with the reason; with SAMMEN_REQUIRE_BROWSER set
(as in CI) it fails instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kernel.config import Settings
from kernel.texts import Texts
from playground import Playground, start_playground
from playground.demo import DEMO_VOLUNTEER_IDS_FROM
from playground.personas import COORDINATOR_PERSONA_ID, VOLUNTEER_PERSONA_ID
from tests.e2e.journeys import plan_activity
from tests.e2e.stored import Stored

try:
    from playwright.async_api import Page, async_playwright, expect
except ImportError:  # pragma: no cover - depends on the machine
    async_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_BROWSER_ENV = "SAMMEN_REQUIRE_BROWSER"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOT = ARTIFACTS / "playground-signup.png"
# Mid-way, with inline buttons under a message: to look at, not asserted on.
BUTTONS_SCREENSHOT = ARTIFACTS / "playground-buttons.png"
PHONE_SCREENSHOT = ARTIFACTS / "playground-phone.png"
STEP_TIMEOUT_MS = 10_000
PHONE = {"width": 420, "height": 860}


def _browser_missing() -> str | None:
    if async_playwright is None:
        return "the Python package playwright is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture
def chromium() -> Path:
    problem = _browser_missing()
    if problem is not None:
        message = f"The browser test needs Chromium: {problem}"
        if os.environ.get(REQUIRE_BROWSER_ENV):
            pytest.fail(f"{message} ({REQUIRE_BROWSER_ENV} is set)")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
async def playground(sqlite_url: str) -> AsyncIterator[Playground]:
    settings = Settings(_env_file=None, database_url=sqlite_url, playground_port=0)
    running = await start_playground(settings, poll_timeout=1)
    yield running
    await running.stop()


@pytest.fixture
async def page(chromium: Path) -> AsyncIterator[Any]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(viewport={"width": 1200, "height": 860})
            context.set_default_timeout(STEP_TIMEOUT_MS)
            yield await context.new_page()
        finally:
            await browser.close()


def button(page: Page, name: str) -> Any:
    """The newest button with exactly this text (older messages may have had one too)."""
    return page.get_by_role("button", name=name, exact=True).last


async def open_page(page: Page, playground: Playground) -> list[str]:
    """The page, live; the list collects the page's script errors."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(playground.url + "/")
    await expect(page.locator("#connection")).to_have_text("live")
    return errors


async def add_new_person(page: Page, first_name: str, language: str) -> int:
    await page.locator("#add-person").click()
    await page.locator("#new-person input[name=first_name]").fill(first_name)
    await page.locator("#language-code").select_option(language)
    await page.get_by_role("button", name="Start a chat").click()
    selected = page.locator(".person.selected")
    await expect(selected).to_contain_text(first_name)
    return int(await selected.get_attribute("data-person-id"))


async def send(page: Page, text: str) -> None:
    await page.locator("#input").fill(text)
    await page.locator("#input").press("Enter")


async def test_a_new_person_signs_up_by_clicking_through_the_page(page, playground) -> None:
    chat = page.locator("#messages")
    errors = await open_page(page, playground)
    sofie_id = await add_new_person(page, "Sofie", "da")
    sofie = page.locator(f'[data-person-id="{sofie_id}"]')
    await expect(sofie.locator(".role")).to_have_text("new person")

    await send(page, "/start")
    await expect(chat.get_by_text("Velkommen til Sammen!")).to_be_visible()
    await button(page, "🙋 Bliv frivillig").click()
    await page.get_by_role("button", name=re.compile(r"^Brug .Sofie.$")).last.click()
    await button(page, "✅ Jeg giver samtykke og er 15 år eller ældre").click()
    # Consent given, sign-up not finished: the panel says so.
    await expect(sofie.locator(".role")).to_have_text("signing up")

    share = page.locator(".reply-button", has_text="📱 Del mit telefonnummer")
    await share.click()
    await expect(chat.get_by_text("Vi har gemt +45 20 12 34 61")).to_be_visible()
    await expect(page.locator("#reply-keyboard")).to_be_hidden()
    await button(page, "Spring over – ingen e-mail").click()

    await button(page, "Gåture").click()
    await expect(button(page, "✅ Gåture")).to_be_visible()  # the bot edited its message
    await button(page, "Færdig ✔️").click()
    await button(page, "Man").click()
    await expect(button(page, "✅ Man")).to_be_visible()
    await button(page, "Eftermiddag").click()
    await expect(button(page, "✅ Eftermiddag")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(BUTTONS_SCREENSHOT))
    await button(page, "Færdig ✔️").click()
    await button(page, "✅ Ja, tilmeld mig").click()

    await expect(chat.get_by_text("Nu er du frivillig i Sammen")).to_be_visible()
    # The label follows what is stored: she is a volunteer now, in the list and the chat head.
    await expect(sofie.locator(".role")).to_have_text("volunteer")
    await expect(page.locator("#chat-sub")).to_contain_text("(volunteer)")
    await page.screenshot(path=str(SCREENSHOT))

    stored = await Stored(playground.application).person(sofie_id)
    assert stored is not None and stored.is_active_volunteer
    assert (stored.name, stored.phone, stored.email) == ("Sofie", "+4520123461", None)
    assert (stored.available_days, stored.available_parts) == ((0,), ("afternoon",))
    assert errors == []


async def test_the_volunteer_persona_can_join_at_once(page, playground) -> None:
    await plan_activity(playground.api.find_user(COORDINATOR_PERSONA_ID))
    errors = await open_page(page, playground)
    await page.locator(f'[data-person-id="{VOLUNTEER_PERSONA_ID}"]').click()
    await expect(page.locator("#chat-sub")).to_contain_text("(volunteer)")

    await send(page, "/activities")
    await button(page, "✋ Meld mig til: Gåtur i Munke Mose").click()

    await expect(page.locator("#messages")).to_contain_text("🎉 Du skal med til Gåtur i Munke Mose")
    participation = await Stored(playground.application).participation("Gåtur i Munke Mose")
    assert participation == {VOLUNTEER_PERSONA_ID: "joined"}
    assert errors == []


async def test_the_date_follows_the_persons_language(page, playground) -> None:
    errors = await open_page(page, playground)
    await add_new_person(page, "Oliver", "en")
    await send(page, "/start")
    await expect(page.locator("#messages")).to_contain_text("Welcome to Sammen")

    today = playground.time.clock.now().astimezone(ZoneInfo(playground.time.timezone))
    english_day = f"{today:%A} {today.day} {today:%B}"  # %A and %B: English in the C locale
    await expect(page.locator(".day span").first).to_have_text(english_day)
    await expect(page.locator("#clock-now")).to_contain_text(f"{today:%A}")
    assert errors == []


@pytest.fixture
async def demo_playground(sqlite_url: str) -> AsyncIterator[Playground]:
    settings = Settings(_env_file=None, database_url=sqlite_url, playground_port=0)
    running = await start_playground(settings, demo_data=True, poll_timeout=1)
    yield running
    await running.stop()


async def test_the_page_works_in_a_phone_sized_window(page, demo_playground) -> None:
    playground = demo_playground
    await page.set_viewport_size(PHONE)
    # A long chat (the coordinator's help, several times) once pushed the input off-screen.
    hanne = playground.api.find_user(COORDINATOR_PERSONA_ID)
    for _ in range(4):
        await hanne.send("/help")
    errors = await open_page(page, playground)
    await page.locator(f'[data-person-id="{COORDINATOR_PERSONA_ID}"]').click()
    for width in (PHONE["width"], 600):
        await page.set_viewport_size({**PHONE, "width": width})
        await expect(page.locator("#input")).to_be_in_viewport(ratio=1)
        await expect(page.locator(".send")).to_be_in_viewport(ratio=1)
        await expect(page.locator("#messages .message").last).to_be_in_viewport()
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
    await page.set_viewport_size(PHONE)

    # A demo volunteer's chat opens and shows what the bot sent her.
    await page.get_by_role("button", name="+1 day").click()
    await page.get_by_role("button", name="+1 day").click()
    demo_volunteer = page.locator(f'[data-person-id="{DEMO_VOLUNTEER_IDS_FROM}"]')
    await demo_volunteer.click()
    await expect(page.locator("#messages")).to_contain_text("Påmindelse: Gåtur i Munke Mose")
    await expect(page.locator("#input")).to_be_in_viewport(ratio=1)

    # Typing "/" suggests her own commands, in her language; a tap sends one.
    await page.locator("#input").press_sequentially("/a")
    suggestions = page.locator("#suggestions")
    await expect(suggestions).to_be_visible()
    activities = suggestions.locator(".menu-item", has_text="/activities")
    await expect(activities).to_contain_text(Texts.load().get("da", "commands.activities"))
    await activities.click()
    await expect(page.locator(".from-me").last).to_contain_text("/activities")
    await expect(suggestions).to_be_hidden()
    # Or from the keyboard: Tab completes, arrows choose, Enter sends the chosen one.
    await page.locator("#input").press_sequentially("/he")
    await page.locator("#input").press("Tab")
    await expect(page.locator("#input")).to_have_value("/help")
    await page.locator("#input").press("ArrowDown")
    await page.locator("#input").press("Enter")
    await expect(page.locator(".from-me").last).to_contain_text("/help")
    await expect(page.locator("#input")).to_have_value("")

    # 📎: a place, and a sticker, each a real message to the bot.
    await page.locator("#attach-button").click()
    await page.locator("#attach-location").click()
    await page.get_by_role("button", name=re.compile("Odense Rådhus")).click()
    await expect(page.locator(".from-me .location").last).to_have_text("📍 55.3959, 10.3883")
    await page.locator("#attach-button").click()
    await page.locator("#attach-sticker").click()
    await expect(page.locator(".from-me .sticker").last).to_be_visible()
    sent = [m for m in playground.api.chat(DEMO_VOLUNTEER_IDS_FROM) if not m.from_bot]
    assert sent[-2].location is not None and sent[-1].sticker is not None

    # No more than Telegram takes in one message.
    await page.locator("#input").fill("x" * 5000)
    assert len(await page.locator("#input").input_value()) == 4096
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(PHONE_SCREENSHOT))
    assert errors == []


async def test_a_new_person_opens_the_coordinators_invitation(page, playground) -> None:
    """Hanne invites with /invite; the link is copied into a new person's chat and opened,
    as Telegram opens a link to the bot: it arrives as /start with the invitation."""
    chat = page.locator("#messages")
    errors = await open_page(page, playground)
    await page.locator(f'[data-person-id="{COORDINATOR_PERSONA_ID}"]').click()
    await send(page, "/invite")
    await button(page, "➕ Invitér en støtteperson").click()
    link = chat.locator("a", has_text="https://t.me/").last
    await expect(link).to_be_visible()
    copied = (await link.text_content() or "").strip()

    await add_new_person(page, "Karin", "da")
    await send(page, copied)
    await expect(chat.get_by_text("inviteret til at blive støtteperson")).to_be_visible()
    await button(page, "👉 Kom i gang").click()
    await expect(chat.get_by_text("Hvad hedder du?")).to_be_visible()
    assert errors == []
