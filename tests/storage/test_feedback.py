"""Feedback on SQLite and PostgreSQL: only from people who went, one answer each."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage import feedback, participation
from storage.models import Feedback
from tests.storage.test_activities import NOW, published, volunteer


async def test_one_answer_per_person_and_only_from_those_who_went(sessions) -> None:
    _, (walk,) = await published(sessions, starts_at=NOW + timedelta(hours=2))
    mette = await volunteer(sessions, 601, "Mette")
    ida = await volunteer(sessions, 602, "Ida")
    await participation.join(sessions, walk.id, mette, now=NOW)
    later = NOW + timedelta(hours=5)

    async with sessions.begin() as session:
        assert [a.id for a in await feedback.ended_between(session, after=NOW, until=later)] == [
            walk.id
        ]
        assert await feedback.record(session, walk.id, mette, "good", now=later)
        assert await feedback.record(session, walk.id, mette, "bad", now=later)
        assert not await feedback.record(session, walk.id, ida, "good", now=later)
    async with sessions() as session:
        rows = (await session.execute(select(Feedback))).scalars().all()
        lately = await feedback.recent(session, now=later)
    assert [(row.person_id, row.answer, row.given_as) for row in rows] == [
        (mette, "bad", "volunteer")
    ]
    assert lately[0].answers["bad"] == 1
