"""The question about an activity below its minimum, on SQLite and PostgreSQL: asked once per
start time, decided once (the first answer wins), and tied to the start it was asked about."""

from __future__ import annotations

from datetime import timedelta

from storage import activities, minimum
from tests.storage.test_activities import NOW, published


async def test_a_question_is_asked_once_and_decided_once(sessions) -> None:
    starts = NOW + timedelta(days=1)
    coordinator, [walk] = await published(sessions, starts_at=starts)
    async with sessions.begin() as session:
        assert await minimum.ask(session, walk.id, starts, NOW)
        assert not await minimum.ask(session, walk.id, starts, NOW + timedelta(minutes=10))
        assert [q.activity_id for q in await minimum.undecided(session, now=NOW)] == [walk.id]

    async with sessions.begin() as session:
        first = await minimum.decide(
            session, walk.id, starts, minimum.GO_AHEAD, by=coordinator, now=NOW
        )
        second = await minimum.decide(session, walk.id, starts, minimum.CANCEL, by=None, now=NOW)
        asked = await minimum.question(session, walk.id, starts)
        assert (first, second) == (True, False)
        assert asked is not None and asked.decision == minimum.GO_AHEAD
        assert asked.decided_by == ""  # a configured coordinator without a name
        assert await minimum.going_ahead(session, [walk.id]) == {walk.id}
        assert await minimum.undecided(session, now=NOW) == []

    # Moved: the decision was about the old start, so it no longer holds.
    async with sessions.begin() as session:
        await activities.change(
            session, walk.id, by=coordinator, now=NOW, starts_at=starts + timedelta(hours=3)
        )
        assert await minimum.going_ahead(session, [walk.id]) == set()
        assert await minimum.ask(session, walk.id, starts + timedelta(hours=3), NOW)
