"""What end-to-end tests look at besides the chat: the database the running bot writes."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e.stored import Stored


@pytest.fixture
def stored(bot: Application) -> Stored:
    return Stored(bot)
