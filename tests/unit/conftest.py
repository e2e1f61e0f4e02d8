"""Fixtures for the local Bot API's own tests: a bare server, and a plain Bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from local_bot_api import LocalBotApi


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    server = LocalBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    """A plain python-telegram-bot Bot (not Sammen's bot, which tests/conftest.py starts)."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as b:
        yield b
