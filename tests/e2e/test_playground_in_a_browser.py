"""A person signs up as a volunteer by clicking through the playground page in Chromium.

Uses Debian's chromium (a browser download is not possible here). Without it, or without the
Python package playwright, the test is skipped with the reason; with SAMMEN_REQUIRE_BROWSER set
(as in CI) it fails instead.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kernel.config import Settings
from playground import Playground, start_playground
from playground.personas import VOLUNTEER_PERSONA_ID
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
STEP_TIMEOUT_MS = 10_000


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


async def test_a_volunteer_signs_up_by_clicking_through_the_page(page, playground) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    chat = page.locator("#messages")
    await page.goto(playground.url + "/")
    await page.locator(f'[data-person-id="{VOLUNTEER_PERSONA_ID}"]').click()
    await expect(page.locator("#connection")).to_have_text("live")

    await page.locator("#input").fill("/start")
    await page.locator("#input").press("Enter")
    await expect(chat.get_by_text("Velkommen til Sammen!")).to_be_visible()
    await button(page, "🙋 Bliv frivillig").click()
    await button(page, "Brug »Mette Hansen«").click()
    await button(page, "✅ Jeg giver samtykke og er 15 år eller ældre").click()

    share = page.locator(".reply-button", has_text="📱 Del mit telefonnummer")
    await share.click()
    await expect(chat.get_by_text("Vi har gemt +45 20 12 34 56")).to_be_visible()
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
    await page.screenshot(path=str(SCREENSHOT))

    mette = await Stored(playground.application).person(VOLUNTEER_PERSONA_ID)
    assert mette is not None and mette.is_active_volunteer
    assert (mette.name, mette.phone, mette.email) == ("Mette Hansen", "+4520123456", None)
    assert (mette.available_days, mette.available_parts) == ((0,), ("afternoon",))
    assert errors == []
