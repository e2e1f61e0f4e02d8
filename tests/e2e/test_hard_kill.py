"""A hard kill (SIGKILL) of the real bot process half-way through a sign-up: the person
continues where they were; at most the last answer is asked again."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable
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


def said_so_far(user) -> set[tuple[int, str]]:
    """Every bot message in the chat as it reads now (an edit reads as a new text)."""
    return {(m.message_id, m.text or "") for m in user.messages if m.from_bot}


async def expect(user, action: Awaitable[object], *fragments: str, timeout: float = 30) -> None:
    """Do `action`, then wait until the bot says something new containing each fragment.

    Only what the bot says after the action counts: the same question already in the chat from
    before a kill must not pass for the answer of the restarted bot.
    """
    before = said_so_far(user)
    await action
    async with asyncio.timeout(timeout):
        # The bot runs in another process: look at the chat now and then.
        while not all(said_anew(user, before, fragment) for fragment in fragments):  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def said_anew(user, before: set[tuple[int, str]], fragment: str) -> bool:
    return any(fragment in text for _, text in said_so_far(user) - before)


async def test_hard_kills_half_way_continue_where_the_person_was(
    local_api, bot_process, sqlite_url
) -> None:
    await bot_process.start()
    mette = local_api.user("Mette", last_name="Hansen")
    await expect(mette, mette.send("/start"), "Velkommen til Sammen")
    await expect(mette, mette.press("🙋 Bliv frivillig"), "Hvad hedder du?")
    await expect(mette, mette.press("Brug »Mette Hansen«"), "hvad vi gemmer")
    await expect(mette, mette.press(AGREE), "Hvad er dit telefonnummer?")
    await expect(mette, mette.share_contact("4520123456"), "Vil du også give os en e-mailadresse?")

    await bot_process.kill()
    await bot_process.start()

    await expect(mette, mette.press("Spring over – ingen e-mail"), "Hvad kan du lide?")
    await mette.press("Gåture")
    await expect(mette, mette.press("Færdig ✔️"), "Hvornår har du som regel tid?")

    await bot_process.kill()
    await bot_process.start()

    await mette.press("Fre")
    await mette.press("Eftermiddag")
    await expect(mette, mette.press("Færdig ✔️"), "Er det hele rigtigt?")
    await expect(mette, mette.press("✅ Ja, tilmeld mig"), "Nu er du frivillig i Sammen")
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
    await expect(ali, ali.send("/start"), "Welcome to Sammen")
    await expect(ali, ali.press("🙋 Become a volunteer"), "What is your name?")
    await expect(ali, ali.send("Ali Hassan"), "Before we go on")

    await bot_process.kill()
    await bot_process.start()

    # The name was only in memory (nothing is stored before consent), so it is asked again.
    await expect(
        ali,
        ali.press("✅ I agree, and I am 15 or older"),
        "Thank you! Your consent is recorded.",
        "What is your name?",
    )
    await expect(ali, ali.send("Ali Hassan"), "What is your phone number?")
