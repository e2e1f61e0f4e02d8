"""Coordinators are warned, in time and once, of an activity short of volunteers."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app import runtime_of
from scheduler.outbox import sender_of
from services.shortfalls import warn_of_shortfalls
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer

HANNE, PETER = 777000001, 777000002


async def test_every_coordinator_hears_once_that_an_activity_needs_volunteers(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE, PETER))
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    peter = local_api.user("Peter", language_code="en", user_id=PETER)
    await peter.send("/start")
    await plan_activity(hanne, title="Gåtur i Munke Mose", when="i morgen 10:00", minimum="2")
    far_off = (clock.now() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Copenhagen"))
    await plan_activity(hanne, title="Brætspil", when=far_off.strftime("%d/%m/%Y 14:00"))
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    lars = local_api.user("Lars")
    await register_support_person(lars, citizens=("Anna",))
    await book(lars, "Gåtur i Munke Mose", "Anna")

    assert await warn_of_shortfalls(runtime) == 2  # the walk, to both; the games are far off
    await sender_of(application).deliver_due()

    to_hanne = await hanne.next_message()
    assert "Gåtur i Munke Mose" in to_hanne.text
    assert "har kun 1 frivillig af de mindst 2, den skal bruge, og 1 borger tilmeldt" in (
        to_hanne.text
    )
    assert "Er der stadig for få 36 timer før start, spørger vi jer" in to_hanne.text
    to_peter = await peter.next_message()
    assert "has only 1 volunteer of the at least 2 it needs, and 1 citizen booked" in (
        to_peter.text
    )
    assert await warn_of_shortfalls(runtime) == 0  # once only
