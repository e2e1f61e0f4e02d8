"""After an activity, everyone who went is asked how it went, once; coordinators see it."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.app import runtime_of
from scheduler.outbox import sender_of
from services.follow_up import ask_how_it_went
from storage.models import Activity, Feedback
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer

COORDINATOR_ID = 777000001


async def next_saying(user, fragment: str):
    """The next bot message to `user` that contains `fragment`, skipping earlier notices."""
    while fragment not in (message := await user.next_message()).text:
        pass
    return message


async def test_people_who_went_are_asked_how_it_went_and_coordinators_see_it(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Gåtur i Munke Mose", when="i morgen 10:00")
    mette, ali, ida = (local_api.user(name, language_code="da") for name in ("Mette", "Ali", "Ida"))
    for volunteer in (mette, ali, ida):
        await sign_up_volunteer(volunteer)
    for volunteer in (mette, ali):
        await volunteer.send("/activities")
        await volunteer.press("✋ Meld mig til: Gåtur i Munke Mose")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna",))
    await book(lars, "Gåtur i Munke Mose", "Anna")

    assert await ask_how_it_went(runtime) == 0  # not yet
    async with runtime.sessions() as session:
        walk = (await session.execute(select(Activity.id))).scalar_one()
    # Before it has taken place, not even someone going can answer, by forging the button.
    await mette.press_data(f"fb:{walk}:good")
    assert "Kun de, der var med" in mette.alerts[-1]["text"]
    clock.advance(timedelta(days=2))
    assert await ask_how_it_went(runtime) == 3  # Mette, Ali and Lars; Ida never joined
    await sender_of(application).deliver_due()

    question = await next_saying(mette, "Hvordan var")
    assert "Hvordan var Gåtur i Munke Mose?" in question.text
    thanks = await mette.press("😊 Godt")
    assert "Dejligt at høre" in thanks[-1].text
    # The question stays, without its buttons, so the chat still says what was answered.
    [still] = [m for m in mette.messages if m.message_id == question.message_id]
    assert "Hvordan var Gåtur i Munke Mose?" in still.text and still.buttons() == []
    await next_saying(ali, "Hvordan var")
    await ali.press("🙁 Ikke godt")
    asked = await next_saying(lars, "Hvordan var")
    assert "Hvordan var Gåtur i Munke Mose for Anna?" in asked.text
    good_button = asked.reply_markup["inline_keyboard"][0][0]["callback_data"]
    await lars.press("😐 Okay")
    # Someone who was not there cannot answer by forging the button.
    await ida.press_data(good_button)
    assert "Kun de, der var med" in ida.alerts[-1]["text"]

    assert await ask_how_it_went(runtime) == 0  # asked once only
    async with runtime.sessions() as session:
        answers = sorted(
            (row.given_as, row.answer)
            for row in (await session.execute(select(Feedback))).scalars()
        )
    assert answers == [("support", "okay"), ("volunteer", "bad"), ("volunteer", "good")]

    [figures] = await hanne.send("/stats")
    assert "Gåtur i Munke Mose" in figures.text
    assert "Frivillige: 2 · borgere: 1 · svar: 😊 1 · 😐 1 · 🙁 1" in figures.text

    [export] = await mette.send("/mydata")
    data = json.loads(await mette.download(export))
    assert data["how_activities_went"][0]["answer"] == "good"
