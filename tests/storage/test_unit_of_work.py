"""One unit of work per action: the outbox sender is woken after a commit that owes someone
a message, and only then (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kernel.clock import MovableClock
from kernel.config import Settings
from kernel.context import Runtime
from kernel.texts import Texts
from services.unit_of_work import unit_of_work
from storage import outbox, people

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class Woken:
    def __init__(self) -> None:
        self.times = 0

    def __call__(self) -> None:
        self.times += 1


@pytest.fixture
def woken() -> Woken:
    return Woken()


@pytest.fixture
def runtime(engine, sessions, woken: Woken) -> Runtime:
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///unused.db")
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=MovableClock(),
        texts=Texts.load(),
        wake_outbox=woken,
    )


async def _someone(runtime: Runtime) -> outbox.Recipient:
    async with unit_of_work(runtime) as session:
        await people.register_visit(session, 42, now=NOW, is_configured_coordinator=False)
        found = await outbox.recipient(session, 42)
    assert found is not None
    return found


async def test_a_commit_that_owes_a_message_wakes_the_sender_once(runtime, woken) -> None:
    to = await _someone(runtime)
    assert woken.times == 0  # nothing owed yet: nobody to wake

    async with unit_of_work(runtime) as session:
        await outbox.enqueue(session, to, kind="test", text="Hej", now=NOW)
        await outbox.enqueue(session, to, kind="test", text="Igen", now=NOW)

    assert woken.times == 1


async def test_a_rolled_back_unit_of_work_wakes_nobody(runtime, woken) -> None:
    to = await _someone(runtime)

    with pytest.raises(RuntimeError):
        async with unit_of_work(runtime) as session:
            await outbox.enqueue(session, to, kind="test", text="Hej", now=NOW)
            raise RuntimeError("the action failed half-way")

    assert woken.times == 0
    async with unit_of_work(runtime) as session:
        assert await outbox.pending_count(session) == 0


async def test_a_message_owed_already_under_the_same_key_wakes_nobody(runtime, woken) -> None:
    to = await _someone(runtime)
    async with unit_of_work(runtime) as session:
        await outbox.enqueue(session, to, kind="test", text="Hej", now=NOW, dedupe_key="k")
    async with unit_of_work(runtime) as session:
        await outbox.enqueue(session, to, kind="test", text="Hej", now=NOW, dedupe_key="k")

    assert woken.times == 1
