"""A booking button from before a coordinator changed the activity books nothing: the support
person hears that it changed and sees it as it is now, as a volunteer's stale join button does."""

from __future__ import annotations

from tests.e2e.journeys import plan_activity, register_support_person
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Gåtur i Munke Mose"
CHANGED = "Koordinatorerne har ændret aktiviteten. Se de nye oplysninger."


async def move_the_walk(hanne) -> None:
    await hanne.send("/activities")
    await hanne.press(f"⚙️ {TITLE}")
    await hanne.press("✏️ Ret")
    await hanne.press("Sted")
    await hanne.send("Fruens Bøge, Odense")
    await hanne.press("✅ Færdig")


async def bookings_of(stored: Stored) -> int:
    return await stored.value("SELECT count(*) FROM bookings")


async def test_a_book_button_from_before_a_change_shows_the_activity_anew(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Ingeborg",))
    [listing] = await lars.send("/book")
    version_seen = await stored.value("SELECT version FROM activities")

    await move_the_walk(hanne)
    shown = await lars.press(f"📅 Book: {TITLE}", in_message=listing)

    assert await stored.value("SELECT version FROM activities") > version_seen
    assert lars.alerts[-1] == {"text": CHANGED, "show_alert": True}
    assert "Aktiviteten er blevet ændret" in shown[-1].text
    assert "Fruens Bøge" in shown[-1].text
    assert await bookings_of(stored) == 0
    await lars.press(f"📅 Book: {TITLE}", in_message=shown[-1])
    booked = await lars.press("Ingeborg")
    assert "Ingeborg er tilmeldt Gåtur i Munke Mose" in booked[-1].text
    assert await bookings_of(stored) == 1


async def test_a_citizen_button_from_before_a_change_books_nobody(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Ingeborg",))
    await lars.send("/book")
    [choice] = await lars.press(f"📅 Book: {TITLE}")

    await move_the_walk(hanne)
    shown = await lars.press("Ingeborg", in_message=choice)

    assert lars.alerts[-1] == {"text": CHANGED, "show_alert": True}
    assert "Fruens Bøge" in shown[-1].text
    assert await bookings_of(stored) == 0
    assert await stored.value("SELECT citizens_booked FROM activities") == 0
