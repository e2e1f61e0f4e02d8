"""Citizens and bookings on SQLite and PostgreSQL: places under concurrency, ownership,
and erasure that gives places back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from storage import bookings, citizens, people, retention, support_persons
from storage.bookings import BookingOutcome
from storage.consent import ConsentText
from storage.models import Activity, Booking, ConsentEvent
from tests.storage.test_activities import NOW, published

TEXT = ConsentText("support_person_contact", 1, "ab" * 32, "da", "test")
CITIZEN_TEXT = ConsentText("citizen_bookings", 1, "cd" * 32, "da", "test")


async def support_person_with(
    sessions, telegram_id: int, names: list[str]
) -> tuple[int, list[int]]:
    async with sessions.begin() as session:
        await people.register_visit(session, telegram_id, now=NOW, is_configured_coordinator=False)
        person = await support_persons.grant_consent(
            session, telegram_id, text=TEXT, subject=f"s{telegram_id}", name="Lars", now=NOW
        )
        added = [
            await citizens.add(session, person.id, name, text=CITIZEN_TEXT, now=NOW)
            for name in names
        ]
    return person.id, [citizen.id for citizen in added]


async def test_twenty_concurrent_bookings_never_exceed_the_places(sessions) -> None:
    _, (activity,) = await published(sessions, starts_at=NOW + timedelta(days=2))
    supporter, ids = await support_person_with(sessions, 500, [f"Navn{i}" for i in range(20)])

    outcomes = await asyncio.gather(
        *(
            bookings.book(sessions, activity.id, cid, support_person_id=supporter, now=NOW)
            for cid in ids
        )
    )

    assert outcomes.count(BookingOutcome.BOOKED) == 3  # citizen_seats=3 in `published`
    assert outcomes.count(BookingOutcome.FULL) == 17
    async with sessions() as session:
        counter = await session.scalar(select(Activity.citizens_booked))
        rows = await session.scalar(select(func.count()).select_from(Booking))
    assert counter == rows == 3


async def test_a_citizen_of_someone_else_cannot_be_booked_or_cancelled(sessions) -> None:
    _, (activity,) = await published(sessions, starts_at=NOW + timedelta(days=2))
    lars, (anna,) = await support_person_with(sessions, 501, ["Anna"])
    karin, _ = await support_person_with(sessions, 502, ["Bo"])

    forged = await bookings.book(sessions, activity.id, anna, support_person_id=karin, now=NOW)
    assert forged is BookingOutcome.NO_SUCH_CITIZEN
    assert await bookings.book(sessions, activity.id, anna, support_person_id=lars, now=NOW) is (
        BookingOutcome.BOOKED
    )
    assert await bookings.book(sessions, activity.id, anna, support_person_id=lars, now=NOW) is (
        BookingOutcome.ALREADY_BOOKED
    )
    async with sessions.begin() as session:
        assert not await bookings.cancel(session, activity.id, anna, support_person_id=karin)
        assert await citizens.find(session, anna, karin) is None
        assert not await citizens.remove(session, anna, karin, actor="support_person", now=NOW)
    late = NOW + timedelta(days=3)
    assert await bookings.book(sessions, activity.id, anna, support_person_id=lars, now=late) is (
        BookingOutcome.ALREADY_BOOKED
    )


async def test_removing_a_citizen_gives_their_places_back(sessions) -> None:
    _, (first,) = await published(sessions, starts_at=NOW + timedelta(days=2))
    _, (second,) = await published(sessions, starts_at=NOW + timedelta(days=3))
    lars, (anna, bo) = await support_person_with(sessions, 503, ["Anna", "Bo"])
    for activity in (first, second):
        await bookings.book(sessions, activity.id, anna, support_person_id=lars, now=NOW)
    await bookings.book(sessions, first.id, bo, support_person_id=lars, now=NOW)

    async with sessions.begin() as session:
        assert await citizens.remove(session, anna, lars, actor="support_person", now=NOW)
    async with sessions() as session:
        counters = dict(
            (await session.execute(select(Activity.id, Activity.citizens_booked))).all()
        )
        ahead = await bookings.upcoming_of(session, lars, now=NOW)
    assert counters == {first.id: 1, second.id: 0}
    assert [(b.activity.id, b.citizen_name) for b in ahead] == [(first.id, "Bo")]


async def test_an_inactive_support_person_is_erased_with_their_citizens(sessions) -> None:
    _, (activity,) = await published(sessions, starts_at=NOW + timedelta(days=400))
    lars, (anna,) = await support_person_with(sessions, 504, ["Anna"])
    await bookings.book(sessions, activity.id, anna, support_person_id=lars, now=NOW)

    later = NOW + timedelta(days=365 * 2 + 1)
    async with sessions.begin() as session:
        erased = await retention.erase_inactive_volunteers(
            session, seen_before=later - timedelta(days=730), key=b"k", now=later
        )

    assert len(erased) == 1
    async with sessions() as session:
        assert await people.find_person(session, 504) is None
        assert await citizens.count_all(session) == 0
        # The activity was over: it still counts one citizen who took part, without a name.
        assert await session.scalar(select(Activity.citizens_booked)) == 1
        actions = (await session.execute(select(ConsentEvent.purpose, ConsentEvent.action))).all()
    assert ("citizen_bookings", "withdrawn") in actions
