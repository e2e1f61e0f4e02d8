"""Every view built from data fits Telegram's limits at the worst size: long titles and
descriptions, forty volunteers going to each activity, and each view still answers.

The crowd is arranged through storage (forty sign-ups by chat would take minutes); the people
whose views are checked talk to the bot as anyone would.
"""

from __future__ import annotations

from datetime import timedelta

from bot.app import runtime_of
from kernel.pseudonyms import pseudonym
from services import consent_texts
from storage import activities, participation, people, volunteers
from storage import bookings as booking_rows
from storage import citizens as citizen_rows
from tests.e2e.journeys import book, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TELEGRAM_LIMIT = 4096
CROWD = 40
LONG_TITLE = "Langt navn på en fællesaktivitet " + "x" * 47  # 80 characters, the most
LONG_TEXT = "En lang beskrivelse med mange ord om alt det, vi skal lave sammen. " * 7


async def _crowd(runtime, first_id: int) -> list[int]:
    """Forty consented, active volunteers with long first names; their person ids."""
    shown = consent_texts.shown(runtime.texts, "da", retention_months=24)
    ids = []
    async with runtime.sessions.begin() as session:
        for number in range(CROWD):
            telegram_id = first_id + number
            now = runtime.clock.now()
            await people.register_visit(
                session, telegram_id, now=now, is_configured_coordinator=False
            )
            person = await volunteers.grant_consent(
                session,
                telegram_id,
                text=shown,
                subject=pseudonym(telegram_id, runtime.pseudonym_key),
                name=f"Maximiliane{number:02d}-Kristiansen Holm",
                now=now,
            )
            await volunteers.set_phone(session, telegram_id, f"+452000{number:04d}")
            await volunteers.complete_signup(session, telegram_id, now=now)
            ids.append(person.id)
    return ids


async def _three_full_activities(runtime, coordinator_id: int, crowd: list[int]) -> list[int]:
    now = runtime.clock.now()
    zone = runtime.settings.zone
    published = []
    for hours in (30, 54, 78):
        async with runtime.sessions.begin() as session:
            draft = await activities.start_draft(session, by=coordinator_id, now=now)
            await activities.change(
                session, draft.id, by=coordinator_id, now=now,
                title=f"{LONG_TITLE[:-2]}{hours}", description=LONG_TEXT[:500],
                place="Et sted med et meget langt navn, " * 6, location_answered=True,
                starts_at=now + timedelta(hours=hours), duration_minutes=120,
                citizen_seats=10, min_volunteers=2, max_volunteers=CROWD + 5,
                accessibility_answered=True, repeat_weeks=None,
            )  # fmt: skip
            [activity] = await activities.publish(
                session, draft.id, by=coordinator_id, now=now, zone=zone
            )
        for person_id in crowd:
            await participation.join(runtime.sessions, activity.id, person_id, now=now)
        published.append(activity.id)
    return published


def _fits(replies) -> None:
    assert replies, "the view did not answer"
    for reply in replies:
        assert len(reply.text or "") <= TELEGRAM_LIMIT
        assert "Beklager" not in (reply.text or "")


async def test_every_view_answers_within_telegrams_limits_with_forty_going(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await hanne.send("/start")
    async with runtime.sessions() as session:
        coordinator = await people.find_person(session, COORDINATOR_ID)
    crowd = await _crowd(runtime, first_id=500_000)
    await _three_full_activities(runtime, coordinator.id, crowd)

    mette = local_api.user("Mette", last_name="Hansen")
    await sign_up_volunteer(mette)
    listing = await mette.send("/activities")
    _fits(listing)
    assert "og 32 andre" in listing[0].text  # the others going are counted past eight
    joined = await mette.press(f"✋ Meld mig til: {LONG_TITLE[:27]}")
    _fits(joined)
    assert any("Du skal med til" in reply.text for reply in joined)
    _fits(await mette.send("/my_activities"))

    lars = local_api.user("Lars", last_name="Nielsen")
    await register_support_person(lars, citizens=("Anna",))
    _fits(await lars.send("/book"))
    await book(lars, f"{LONG_TITLE[:-2]}30"[:27], "Anna")
    _fits(await lars.send("/bookings"))

    await hanne.send("/activities")
    await hanne.press(f"⚙️ {LONG_TITLE[:27]}")
    _fits(await hanne.press("👥 Hvem kommer"))


async def _long_activities(runtime, coordinator_id: int, count: int) -> list[int]:
    """`count` published activities with the longest title and place, a day apart."""
    now = runtime.clock.now()
    ids = []
    for number in range(count):
        async with runtime.sessions.begin() as session:
            draft = await activities.start_draft(session, by=coordinator_id, now=now)
            await activities.change(
                session, draft.id, by=coordinator_id, now=now,
                title=f"{LONG_TITLE[:-2]}{number:02d}", description=LONG_TEXT[:500],
                place=("Et sted med et meget langt navn, " * 7)[:200], location_answered=True,
                starts_at=now + timedelta(days=2 + number), duration_minutes=120,
                citizen_seats=10, min_volunteers=1, max_volunteers=5,
                accessibility_answered=True, repeat_weeks=None,
            )  # fmt: skip
            [activity] = await activities.publish(
                session, draft.id, by=coordinator_id, now=now, zone=runtime.settings.zone
            )
        ids.append(activity.id)
    return ids


async def test_a_support_person_with_many_long_bookings_sees_and_can_cancel_each(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await hanne.send("/start")
    async with runtime.sessions() as session:
        coordinator = await people.find_person(session, COORDINATOR_ID)
    planned = await _long_activities(runtime, coordinator.id, count=12)
    lars = local_api.user("Lars", last_name="Nielsen")
    citizens = ("Annemarie-Kristine", "Bodil-Margrethe")
    await register_support_person(lars, citizens=citizens)
    async with runtime.sessions.begin() as session:
        support_person = await people.find_person(session, lars.id)
        mine = await citizen_rows.citizens_of(session, support_person.id)
    for activity_id in planned:
        for citizen in mine:
            outcome = await booking_rows.book(
                runtime.sessions, activity_id, citizen.id,
                support_person_id=support_person.id, now=runtime.clock.now(),
            )  # fmt: skip
            assert outcome is booking_rows.BookingOutcome.BOOKED

    # Each page is drawn in the same message: what it showed is read before the next press.
    replies = await lars.send("/bookings")
    seen = [(replies[-1].text, replies[-1].buttons())]
    _fits(replies)
    while any("Næste ▶️" in row for row in seen[-1][1]):
        replies = await lars.press("Næste ▶️")
        _fits(replies)
        seen.append((replies[-1].text, replies[-1].buttons()))

    everything = "\n".join(text for text, _ in seen)
    for number in range(12):
        assert f"{LONG_TITLE[:-2]}{number:02d}" in everything
    cancels = [label for _, rows in seen for row in rows for label in row if label[0] == "❌"]
    assert len(cancels) == len(set(cancels)) == 24  # every booking, each told apart by day
    last = cancels[-1]
    assert "5 / 5" in str(seen[-1][1])

    await lars.press(last)
    redrawn = await lars.press("❌ Ja, aflys")

    assert "aflyst" in redrawn[-1].text
    labels = [label for row in redrawn[-1].buttons() for label in row]
    assert last not in labels
    assert "5 / 5" in labels  # the list is drawn again where the person was
    assert await Stored(application).value("SELECT count(*) FROM bookings") == 23
