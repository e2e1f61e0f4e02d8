"""Who is reminded of what: volunteers going (not waiting) to published activities that start
within the lead time."""

from __future__ import annotations

from datetime import timedelta

from storage import activities, participation, reminders
from storage.participation import Outcome
from tests.storage.test_activities import NOW, published, volunteer


async def test_the_volunteers_going_are_reminded_not_those_waiting(sessions) -> None:
    _, [cafe] = await published(sessions, starts_at=NOW + timedelta(hours=20), places=2)
    mette = await volunteer(sessions, 10, "Mette Hansen")
    ali = await volunteer(sessions, 11, "Ali Hassan")
    ida = await volunteer(sessions, 12, "Ida Holm")
    for person in (mette, ali):
        assert await participation.join(sessions, cafe.id, person, now=NOW) is Outcome.JOINED
    assert await participation.wait(sessions, cafe.id, ida, now=NOW) is Outcome.WAITING

    async with sessions() as session:
        going = await reminders.reminder_recipients(session, cafe.id)

    assert [(p.person_id, p.telegram_id, p.first_name) for p in going] == [
        (mette, 10, "Mette"),
        (ali, 11, "Ali"),
    ]
    assert {p.going_as for p in going} == {reminders.VOLUNTEER}


async def test_only_published_activities_within_the_lead_time_are_due(sessions) -> None:
    coordinator, [soon] = await published(sessions, starts_at=NOW + timedelta(hours=20))
    _, [later] = await published(sessions, starts_at=NOW + timedelta(hours=30))
    _, [cancelled] = await published(sessions, starts_at=NOW + timedelta(hours=10))
    async with sessions.begin() as session:
        await activities.cancel(session, cancelled.id, by=coordinator, reason="Storm", now=NOW)

    async with sessions() as session:
        due = await reminders.starting_between(session, after=NOW, until=NOW + timedelta(hours=24))

    assert [activity.id for activity in due] == [soon.id]
    assert later.id not in [activity.id for activity in due]
