"""A waiting list of more than one: the place freed goes to whoever waited first, and only
they hear of it."""

from __future__ import annotations

from bot.app import runtime_of
from services.reminders import remind
from tests.e2e.journeys import move_clock_to_hours_before, plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Gåtur i Munke Mose"


async def test_the_first_on_the_waiting_list_moves_up_and_only_they_are_told(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1", maximum="1")
    mette, ida, pia = (local_api.user(name) for name in ("Mette", "Ida", "Pia"))
    for volunteer in (mette, ida, pia):
        await sign_up_volunteer(volunteer)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")
    for waiting in (ida, pia):
        await waiting.send("/activities")
        offered = await waiting.press(f"⏳ Venteliste: {TITLE}")
        assert "Du er på ventelisten" in offered[-1].text
    pia_had = len(pia.messages)

    await mette.send("/my_activities")
    left = await mette.press(f"Meld fra: {TITLE}")

    assert "Du har meldt dig fra" in left[-1].text
    told = await ida.next_message()
    assert "der er blevet en plads fri" in told.text and TITLE in told.text
    await stored.deliver_everything_owed()
    assert pia.messages[pia_had:] == [], "the second on the waiting list was told something"
    assert await stored.participation(TITLE) == {ida.id: "joined", pia.id: "waiting"}
    assert await stored.value("SELECT volunteers_joined FROM activities") == 1
    owed = "SELECT count(*) FROM outbox_messages o JOIN people p ON p.id = o.person_id"
    assert await stored.value(f"{owed} WHERE p.telegram_id = :id", id=pia.id) == 0


async def test_moving_up_after_the_reminders_went_out_brings_the_reminder_too(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1", maximum="1")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    for volunteer in (mette, ida):
        await sign_up_volunteer(volunteer)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")
    await ida.send("/activities")
    await ida.press(f"⏳ Venteliste: {TITLE}")
    move_clock_to_hours_before(clock, hours=20)
    assert await remind(runtime_of(application)) == 1  # Mette's; Ida is only waiting
    await stored.deliver_everything_owed()

    await mette.send("/my_activities")
    await mette.press(f"Meld fra: {TITLE}")
    await stored.deliver_everything_owed()

    told = [message.text for message in ida.messages if message.from_bot]
    assert any("der er blevet en plads fri" in text for text in told)
    assert sum(f"Påmindelse: {TITLE}" in text for text in told) == 1
    assert await remind(runtime_of(application)) == 0  # and never again
