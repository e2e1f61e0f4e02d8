"""Cancelling a booking redraws the list it was pressed on: no stale button stays behind."""

from __future__ import annotations

from tests.e2e.journeys import book, plan_activity, register_support_person

COORDINATOR_ID = 777000001


async def test_the_bookings_list_is_drawn_again_after_a_cancellation(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Café på Brandts", seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna", "Bo"))
    await book(lars, "Café på Brandts", "Anna", "Bo")

    [listing] = await lars.send("/bookings")
    await lars.press("❌ Anna:", in_message=listing)
    await lars.press("❌ Ja, aflys pladsen for Anna")

    [redrawn] = [m for m in lars.messages if m.message_id == listing.message_id]
    assert "Tilmeldingen for Anna er aflyst" in redrawn.text
    assert "Bo" in redrawn.text
    labels = [label for row in redrawn.buttons() for label in row]
    assert len(labels) == 1 and labels[0].startswith("❌ Bo: ")
    assert labels[0].endswith(" Café på Brandts")


async def test_keeping_a_booking_shows_the_list_as_it_was(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Café på Brandts", seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna",))
    await book(lars, "Café på Brandts", "Anna")

    [listing] = await lars.send("/bookings")
    await lars.press("❌ Anna:", in_message=listing)
    await lars.press("Behold tilmeldingen")

    [redrawn] = [m for m in lars.messages if m.message_id == listing.message_id]
    assert "tilmeldingen bliver stående" in redrawn.text
    [label] = [label for row in redrawn.buttons() for label in row]
    assert label.startswith("❌ Anna: ") and label.endswith(" Café på Brandts")
