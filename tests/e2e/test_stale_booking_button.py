"""A booking button names the activity as it was shown: if a coordinator changed it since,
the support person is told and sees it anew before anyone is booked."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import runtime_of
from storage.models import Activity, Booking
from tests.e2e.journeys import plan_activity, register_support_person

COORDINATOR_ID = 777000001


async def _rows(application, model) -> list:
    async with runtime_of(application).sessions() as session:
        return list((await session.execute(select(model))).scalars())


async def _change_the_place(hanne, place: str) -> None:
    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("✏️ Ret")
    await hanne.press("Sted")
    await hanne.send(place)
    await hanne.press("✅ Færdig")


async def test_a_changed_activity_is_shown_again_before_anyone_is_booked(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Gåtur i Munke Mose", seats="2")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna",))
    await lars.send("/book")

    await _change_the_place(hanne, "Fruens Bøge, Odense")

    # The list was shown before the change: its button is stale.
    shown = await lars.press("📅 Book: Gåtur i Munke Mose")
    assert lars.alerts[-1]["text"] == (
        "Koordinatorerne har ændret aktiviteten. Se de nye oplysninger."
    )
    assert "Aktiviteten er blevet ændret" in shown[-1].text
    assert "Fruens Bøge" in shown[-1].text
    assert not await _rows(application, Booking)

    # Whom to book is chosen on the fresh card; then it changes again before the choice.
    await lars.press("📅 Book: Gåtur i Munke Mose", in_message=shown[-1])
    await _change_the_place(hanne, "Hunderupskoven, Odense")
    again = await lars.press("Anna")
    assert lars.alerts[-1]["text"] == (
        "Koordinatorerne har ændret aktiviteten. Se de nye oplysninger."
    )
    assert "Hunderupskoven" in again[-1].text
    assert not await _rows(application, Booking)
    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 0

    # Booked as it is now, it goes through.
    await lars.press("📅 Book: Gåtur i Munke Mose", in_message=again[-1])
    booked = await lars.press("Anna")
    assert "Anna er tilmeldt Gåtur i Munke Mose" in booked[-1].text
    assert len(await _rows(application, Booking)) == 1
    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 1
