"""Activities on SQLite and PostgreSQL: capacity under concurrency, the waiting list,
weekly series across daylight saving, cancelling, and versions for stale buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.seats import run_scenario
from kernel.pseudonyms import pseudonym
from storage import activities, data_rights, participation, people, volunteers
from storage.consent import ConsentText
from storage.participation import Outcome

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Copenhagen")
TEXT = ConsentText("volunteer_contact", 1, "ef" * 32, "da", "test")


async def test_fifty_concurrent_joins_never_exceed_five_places(database_url) -> None:
    result = await run_scenario(database_url, capacity=5, attempts=50)

    assert (result.seated, result.waitlisted, result.overbooked) == (5, 45, 0)
    assert result.counter == 5


async def volunteer(sessions, telegram_id: int, name: str) -> int:
    async with sessions.begin() as session:
        await people.register_visit(session, telegram_id, now=NOW, is_configured_coordinator=False)
        person = await volunteers.grant_consent(
            session,
            telegram_id,
            text=TEXT,
            subject=pseudonym(telegram_id, b"k"),
            name=name,
            now=NOW,
        )
    return person.id


async def published(sessions, *, starts_at: datetime, places: int = 2, weeks: int = 1):
    async with sessions.begin() as session:
        coordinator = await people.register_visit(
            session, 1, now=NOW, is_configured_coordinator=True
        )
        draft = await activities.start_draft(session, by=coordinator.id, now=NOW)
        await activities.change(
            session,
            draft.id,
            by=coordinator.id,
            now=NOW,
            title="Café",
            starts_at=starts_at,
            duration_minutes=120,
            citizen_seats=3,
            min_volunteers=2,
            max_volunteers=places,
            repeat_weeks=weeks,
        )
        return coordinator.id, await activities.publish(
            session, draft.id, by=coordinator.id, now=NOW, zone=ZONE
        )


async def test_a_leaving_volunteer_gives_the_place_to_the_first_waiting(sessions) -> None:
    _, [cafe] = await published(sessions, starts_at=NOW + timedelta(days=5))
    mette, ali, ida = (
        await volunteer(sessions, 10, "Mette Hansen"),
        await volunteer(sessions, 11, "Ali Hassan"),
        await volunteer(sessions, 12, "Ida Holm"),
    )
    assert await participation.join(sessions, cafe.id, mette, now=NOW) is Outcome.JOINED
    assert await participation.join(sessions, cafe.id, ali, now=NOW) is Outcome.JOINED
    assert await participation.join(sessions, cafe.id, ida, now=NOW) is Outcome.FULL
    assert await participation.wait(sessions, cafe.id, ida, now=NOW) is Outcome.WAITING
    assert await participation.join(sessions, cafe.id, mette, now=NOW) is Outcome.ALREADY_JOINED

    async with sessions.begin() as session:
        departure = await participation.leave(session, cafe.id, mette, now=NOW)

    assert departure.was_joined and not departure.late
    assert departure.moved_up is not None and departure.moved_up.telegram_id == 12
    async with sessions() as session:
        assert await participation.counts(session, cafe.id) == {"joined": 2}
        seen_by_ali = await participation.listing(session, cafe.id, ali, zone=ZONE)
    assert seen_by_ali.others_going == ("Ida",)
    assert seen_by_ali.activity.volunteers_joined == 2


async def test_leaving_within_a_day_is_late_and_drops_below_the_minimum(sessions) -> None:
    _, [cafe] = await published(sessions, starts_at=NOW + timedelta(hours=20))
    mette = await volunteer(sessions, 10, "Mette Hansen")
    ali = await volunteer(sessions, 11, "Ali Hassan")
    await participation.join(sessions, cafe.id, mette, now=NOW)
    await participation.join(sessions, cafe.id, ali, now=NOW)

    async with sessions.begin() as session:
        departure = await participation.leave(session, cafe.id, mette, now=NOW)
        activity = await participation.record_late_reason(session, mette, "Syg")

    assert departure.late and departure.activity.is_short
    assert activity is not None and activity.id == cafe.id


async def test_past_and_cancelled_activities_cannot_be_joined(sessions) -> None:
    coordinator, [cafe] = await published(sessions, starts_at=NOW + timedelta(days=1))
    mette = await volunteer(sessions, 10, "Mette Hansen")

    later = NOW + timedelta(days=2)
    assert await participation.join(sessions, cafe.id, mette, now=later) is Outcome.STARTED
    async with sessions.begin() as session:
        cancelled = await activities.cancel(
            session, cafe.id, by=coordinator, reason="Regn", now=NOW
        )
    assert cancelled is not None
    assert await participation.join(sessions, cafe.id, mette, now=NOW) is Outcome.GONE
    assert await participation.join(sessions, 99999, mette, now=NOW) is Outcome.GONE


async def test_cancelling_returns_everyone_to_tell(sessions) -> None:
    coordinator, [cafe] = await published(sessions, starts_at=NOW + timedelta(days=1), places=1)
    mette = await volunteer(sessions, 10, "Mette Hansen")
    ali = await volunteer(sessions, 11, "Ali Hassan")
    await participation.join(sessions, cafe.id, mette, now=NOW)
    await participation.wait(sessions, cafe.id, ali, now=NOW)

    async with sessions.begin() as session:
        activity, attendees = await activities.cancel(
            session, cafe.id, by=coordinator, reason="Regn", now=NOW
        )
        again = await activities.cancel(session, cafe.id, by=coordinator, reason="x", now=NOW)

    assert activity.status == "cancelled" and activity.cancel_reason == "Regn"
    assert [(a.telegram_id, a.status) for a in attendees] == [(10, "joined"), (11, "waiting")]
    assert again is None


async def test_a_weekly_series_keeps_the_wall_clock_time_across_daylight_saving(
    sessions,
) -> None:
    # 14:00 in Copenhagen on Thursday 22 October 2026 (summer time), then weekly into winter.
    first = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
    _, series = await published(sessions, starts_at=first, weeks=3)

    local = [activity.starts_at.astimezone(ZONE) for activity in series]
    assert [(moment.day, moment.hour, moment.minute) for moment in local] == [
        (22, 14, 0),
        (29, 14, 0),
        (5, 14, 0),
    ]
    assert len({activity.series_id for activity in series}) == 1


async def test_a_visible_change_to_a_published_activity_bumps_its_version(sessions) -> None:
    coordinator, [cafe] = await published(sessions, starts_at=NOW + timedelta(days=3))

    async with sessions.begin() as session:
        moved = await activities.change(
            session, cafe.id, by=coordinator, now=NOW, place="Kulturmaskinen"
        )

    assert moved.version == cafe.version + 1


async def test_erasing_a_volunteer_frees_their_place_for_the_first_waiting(sessions) -> None:
    _, [cafe] = await published(sessions, starts_at=NOW + timedelta(days=5), places=1)
    mette = await volunteer(sessions, 10, "Mette Hansen")
    ali = await volunteer(sessions, 11, "Ali Hassan")
    await participation.join(sessions, cafe.id, mette, now=NOW)
    await participation.wait(sessions, cafe.id, ali, now=NOW)

    async with sessions.begin() as session:
        erasure = await data_rights.erase_person(
            session, 10, subject=pseudonym(10, b"k"), actor="self", now=NOW
        )

    moved_up = [
        (departure.moved_up.telegram_id, departure.activity.id)
        for departure in erasure.departures
        if departure.moved_up is not None and departure.activity is not None
    ]
    assert moved_up == [(11, cafe.id)]
    async with sessions() as session:
        assert await participation.counts(session, cafe.id) == {"joined": 1}
        assert (await activities.find(session, cafe.id)).volunteers_joined == 1
