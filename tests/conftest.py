"""Fixtures: databases (SQLite, and PostgreSQL when a server is there), a clock, the local
Bot API server, and the real bot running against it. Assertions stay in the tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram.ext import Application

from bot import app as bot_app
from kernel.clock import MovableClock
from kernel.config import Settings
from local_bot_api import LocalBotApi, TrackedApplication
from storage.engine import SessionFactory, create_engine, create_session_factory, migrate

POSTGRES_URL_ENV = "SAMMEN_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "SAMMEN_REQUIRE_POSTGRES"


# --- Databases ------------------------------------------------------------------------------


def sqlite_url_in(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'sammen.db'}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return sqlite_url_in(tmp_path)


def _postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    # DATABASE_URL pointed at a PostgreSQL server works too, as the bot itself reads it.
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith("postgresql+asyncpg://"):
        return configured
    message = (
        f"PostgreSQL tests need a server: set {POSTGRES_URL_ENV} or DATABASE_URL "
        "(./sammen test starts a throw-away one when PostgreSQL is installed)"
    )
    if os.environ.get(REQUIRE_POSTGRES_ENV):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    server = _postgres_server_url()
    name = f"sammen_test_{uuid.uuid4().hex[:12]}"
    admin: AsyncEngine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on both databases the product supports."""
    if request.param == "sqlite":
        return sqlite_url_in(tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    return create_session_factory(engine)


# --- The bot on the local Bot API server ----------------------------------------------------


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def local_api(clock: MovableClock) -> AsyncIterator[LocalBotApi]:
    api = LocalBotApi(clock=clock.now)
    await api.start()
    yield api
    await api.stop()


BotStarter = Callable[..., Awaitable[Application]]


def settings_for(api: LocalBotApi, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(api.token),
        "telegram_api_base_url": api.base_url,
        "database_url": database_url,
        "coordinator_ids": (),
        "default_language": "da",
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def start_bot(
    local_api: LocalBotApi, sqlite_url: str, clock: MovableClock
) -> AsyncIterator[BotStarter]:
    """Start the real bot (python-telegram-bot Application) against the local Bot API.

    Call it again after stopping to see a restart; settings can be overridden per call.
    """
    running: list[Application] = []

    async def start(**overrides: Any) -> Application:
        url = overrides.pop("database_url", sqlite_url)
        settings = settings_for(local_api, url, **overrides)
        application = bot_app.build_application(
            settings, clock=clock, application_class=TrackedApplication
        )
        local_api.attach(application)
        await bot_app.start(application, poll_timeout=1)
        running.append(application)
        return application

    yield start
    for application in running:
        await bot_app.stop(application)


@pytest.fixture
async def bot(start_bot: BotStarter) -> Application:
    return await start_bot()
