"""A hard kill (SIGKILL) of the real bot process half-way through a sign-up: the person
continues where they were; at most the last answer is asked again."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from local_bot_api import LocalBotApi
from storage import people

ROOT = Path(__file__).resolve().parents[2]
AGREE = "✅ Jeg giver samtykke og er 15 år eller ældre"
STARTUP_TIMEOUT = 60


class BotProcess:
    """`python -m launcher` as its own process, as an operator runs it, against the local API."""

    def __init__(self, api: LocalBotApi, database_url: str) -> None:
        self._api = api
        self._process: asyncio.subprocess.Process | None = None
        self._env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }

    def _polling_starts(self) -> int:
        # deleteWebhook is python-telegram-bot's last call before its first long poll; a long
        # poll itself is only logged when it returns.
        return sum(1 for call in self._api.calls if call.method == "deleteWebhook")

    async def start(self) -> None:
        starts_before = self._polling_starts()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "launcher", cwd=ROOT, env=self._env
        )
        async with asyncio.timeout(STARTUP_TIMEOUT):
            # The server signals chat events, not API calls: look at its call log now and then.
            while self._polling_starts() <= starts_before:  # noqa: ASYNC110
                await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed on the way out."""
        assert self._process is not None
        self._process.kill()
        await self._process.wait()


@pytest.fixture
async def bot_process(local_api: LocalBotApi, sqlite_url: str) -> AsyncIterator[BotProcess]:
    process = BotProcess(local_api, sqlite_url)
    yield process
    if process._process is not None and process._process.returncode is None:
        await process.kill()


async def expect(user, fragment: str, timeout: float = 30) -> None:
    """Wait until the bot has said something containing `fragment` to this user."""
    async with asyncio.timeout(timeout):
        while not any(fragment in (m.text or "") for m in user.messages if m.from_bot):
            await user.next_message(timeout)


async def test_hard_kills_half_way_continue_where_the_person_was(
    local_api, bot_process, sqlite_url
) -> None:
    await bot_process.start()
    mette = local_api.user("Mette", last_name="Hansen")
    await mette.send("/start")
    await expect(mette, "Velkommen til Sammen")
    await mette.press("🙋 Bliv frivillig")
    await expect(mette, "Hvad hedder du?")
    await mette.press("Brug “Mette Hansen”")
    await expect(mette, "hvad vi gemmer")
    await mette.press(AGREE)
    await expect(mette, "Hvad er dit telefonnummer?")
    await mette.share_contact("4520123456")
    await expect(mette, "Vil du også give os en e-mailadresse?")

    await bot_process.kill()
    await bot_process.start()

    await mette.press("Spring over – ingen e-mail")
    await expect(mette, "Hvad kan du lide?")
    await mette.press("Gåture")
    await mette.press("Færdig ✔️")
    await expect(mette, "Hvornår har du som regel tid?")

    await bot_process.kill()
    await bot_process.start()

    await mette.press("Fre")
    await mette.press("Eftermiddag")
    await mette.press("Færdig ✔️")
    await expect(mette, "Er det hele rigtigt?")
    await mette.press("✅ Ja, tilmeld mig")
    await expect(mette, "Nu er du frivillig i Sammen")
    engine = create_async_engine(sqlite_url)
    async with AsyncSession(engine) as session:
        person = await people.find_person(session, mette.id)
    await engine.dispose()
    assert person is not None and person.is_active_volunteer
    assert (person.phone, person.available_days, person.available_parts) == (
        "+4520123456",
        (4,),
        ("afternoon",),
    )


async def test_a_hard_kill_before_consent_asks_only_the_name_again(local_api, bot_process) -> None:
    await bot_process.start()
    ali = local_api.user("Ali", language_code="en")
    await ali.send("/start")
    await expect(ali, "Welcome to Sammen")
    await ali.press("🙋 Become a volunteer")
    await expect(ali, "What is your name?")
    await ali.send("Ali Hassan")
    await expect(ali, "Before we go on")

    await bot_process.kill()
    await bot_process.start()

    # The name was only in memory (nothing is stored before consent), so it is asked again.
    await ali.press("✅ I agree, and I am 15 or older")
    await expect(ali, "Thank you! Your consent is recorded.")
    await expect(ali, "What is your name?")
    await ali.send("Ali Hassan")
    await expect(ali, "What is your phone number?")
