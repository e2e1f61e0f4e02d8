""" "It only happens with at least 2, so you won't be alone": an activity still below its
minimum 36 hours before the start is put to the coordinators (go ahead anyway, or cancel), the
volunteers hear the outcome before the reminder, and nobody reads a text about company that
contradicts another. Nobody deciding in time cancels it, as the question said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.app import runtime_of
from kernel.context import Runtime
from local_bot_api.models import ChatMessage
from scheduler.outbox import sender_of
from services.minimum import settle
from services.reminders import remind
from tests.e2e.journeys import (
    book,
    move_clock_to_hours_before,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)
from tests.e2e.stored import Stored

HANNE, PETER = 777000001, 777000002
TITLE = "Gåtur i Munke Mose"
STATUS = "SELECT status FROM activities WHERE title = :t"


@dataclass
class Walk:
    runtime: Runtime
    stored: Stored
    deliver: object
    hanne: object  # LocalUser, Danish coordinator
    peter: object  # LocalUser, English coordinator
    mette: object  # LocalUser, the one volunteer going


async def short_walk(start_bot, local_api, clock) -> Walk:
    """A walk on 24/12 14:00 needing 2 volunteers, with only Mette going, and two
    coordinators (Hanne reads Danish, Peter English)."""
    application = await start_bot(coordinator_ids=(HANNE, PETER))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    peter = local_api.user("Peter", language_code="en", user_id=PETER)
    await peter.send("/start")
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="2")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    listed = await mette.send("/activities")
    assert "så du bliver ikke alene" in listed[-1].text  # the promise
    await mette.press(f"✋ Meld mig til: {TITLE}")
    return Walk(
        runtime_of(application),
        Stored(application),
        sender_of(application).deliver_due,
        hanne,
        peter,
        mette,
    )


async def asked(walk: Walk, clock) -> tuple[ChatMessage, ChatMessage]:
    """Move to 35 hours before: both coordinators are asked, once."""
    move_clock_to_hours_before(clock, hours=37)
    assert await settle(walk.runtime) == 0  # too early: the warning is out, no question yet
    move_clock_to_hours_before(clock, hours=35)
    assert await settle(walk.runtime) == 2
    assert await settle(walk.runtime) == 0  # once only, also after a restart
    await walk.deliver()
    to_hanne = await next_saying(walk.hanne, "Skal den gennemføres alligevel?")
    assert "har stadig kun 1 frivillig af de mindst 2, den skal bruge" in to_hanne.text
    assert to_hanne.buttons() == [["✅ Gennemfør alligevel", "❌ Aflys"]]
    to_peter = await next_saying(walk.peter, "Should it go ahead anyway?")
    assert to_peter.buttons() == [["✅ Go ahead anyway", "❌ Cancel"]]
    return to_hanne, to_peter


async def next_saying(user, fragment: str) -> ChatMessage:
    """The next bot message to `user` that contains `fragment`, skipping other notices."""
    while fragment not in (message := await user.next_message()).text:
        pass
    return message


def said_to(user) -> list[str]:
    return [message.text for message in user.messages if message.from_bot]


async def test_going_ahead_tells_the_volunteer_first_and_the_reminder_agrees(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)
    tom = local_api.user("Tom", language_code="da")
    await register_support_person(tom, citizens=("Anna",))
    await book(tom, TITLE, "Anna")
    to_hanne, to_peter = await asked(walk, clock)

    done = await walk.hanne.press("✅ Gennemfør alligevel", in_message=to_hanne)
    assert "gennemføres alligevel. Alle 2 tilmeldte har fået besked" in done[-1].text
    to_tom = await next_saying(tom, "bliver til noget")
    assert "som Anna er tilmeldt" in to_tom.text
    assert "færre end 2 frivillige. Frivillige, der kommer: Mette." in to_tom.text
    [card] = await tom.send("/book")
    assert "Koordinatorerne gennemfører den, selv om der er færre end 2" in card.text
    told = await walk.mette.next_message()
    assert "koordinatorerne har besluttet at gennemføre den" in told.text
    assert "Indtil videre er du den eneste frivillige" in told.text
    assert "/my_activities" in told.text  # leaving is fine, and said so
    assert "goes ahead anyway" in (await next_saying(walk.peter, TITLE)).text
    [mine] = await walk.mette.send("/my_activities")
    assert "Koordinatorerne gennemfører den alligevel" in mine.text
    assert "ikke alene" not in mine.text

    # Peter presses later: Hanne's answer stands, nothing changes, nobody hears more.
    late = await walk.peter.press("❌ Cancel", in_message=to_peter)
    assert "already decided that" in late[-1].text and "goes ahead anyway" in late[-1].text
    assert await walk.stored.value(STATUS, t=TITLE) == "published"

    move_clock_to_hours_before(clock, hours=23)
    assert await settle(walk.runtime) == 0  # decided: no default
    assert await remind(walk.runtime) == 2  # Mette, and Tom for Anna
    await walk.deliver()
    reminder = await walk.mette.next_message()
    assert "Påmindelse" in reminder.text
    assert "Indtil videre er du den eneste frivillige" in reminder.text
    after_told = said_to(walk.mette)[said_to(walk.mette).index(told.text) :]
    assert not any("ikke alene" in text for text in after_told)
    assert not [text for text in said_to(walk.mette) if "aflyst" in text]


async def test_cancelling_tells_everyone_as_a_cancellation_does_and_no_reminder_follows(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)
    tom = local_api.user("Tom", language_code="da")
    await register_support_person(tom, citizens=("Anna",))
    await book(tom, TITLE, "Anna")
    to_hanne, to_peter = await asked(walk, clock)

    # A volunteer forging Hanne's exact button changes nothing.
    data = next(b for b in to_hanne.inline_buttons() if b["text"] == "❌ Aflys")["callback_data"]
    await walk.mette.press_data(data)
    assert "kun koordinatorer" in str(walk.mette.alerts[-1].get("text"))
    assert await walk.stored.value(STATUS, t=TITLE) == "published"

    done = await walk.peter.press("❌ Cancel", in_message=to_peter)
    assert "is cancelled. All 2 people going were told" in done[-1].text
    assert await walk.stored.value(STATUS, t=TITLE) == "cancelled"
    to_mette = await next_saying(walk.mette, "er aflyst")
    assert "vi har lovet, at ingen frivillig står alene" in to_mette.text
    to_tom = await next_saying(tom, "er aflyst")
    assert "Anna var tilmeldt" in to_tom.text
    assert "har aflyst" in (await next_saying(walk.hanne, TITLE)).text

    late = await walk.hanne.press("✅ Gennemfør alligevel", in_message=to_hanne)
    assert "har allerede aflyst" in late[-1].text
    move_clock_to_hours_before(clock, hours=23)
    assert await remind(walk.runtime) == 0
    assert await settle(walk.runtime) == 0


async def test_nobody_deciding_cancels_at_the_reminder_time_instead_of_reminding(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)
    to_hanne, _ = await asked(walk, clock)
    assert "Beslutter ingen af jer det inden" in to_hanne.text

    move_clock_to_hours_before(clock, hours=24)
    assert await remind(walk.runtime) == 0  # held back: it is about to be cancelled
    assert await settle(walk.runtime) == 1
    assert await settle(walk.runtime) == 0
    await walk.deliver()

    assert await walk.stored.value(STATUS, t=TITLE) == "cancelled"
    to_mette = await next_saying(walk.mette, "er aflyst")
    assert "Der kom ikke de mindst 2 frivillige" in to_mette.text
    assert "så den er aflyst, som vi skrev" in (await next_saying(walk.hanne, TITLE)).text
    assert "so it is cancelled, as we wrote" in (await next_saying(walk.peter, TITLE)).text
    assert await remind(walk.runtime) == 0
    assert not [text for text in said_to(walk.mette) if "Påmindelse" in text]

    late = await walk.hanne.press("✅ Gennemfør alligevel", in_message=to_hanne)
    assert "allerede aflyst: ingen nåede at beslutte noget i tide" in late[-1].text


async def test_a_volunteer_joining_after_the_question_makes_it_moot(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)
    to_hanne, _ = await asked(walk, clock)
    ali = local_api.user("Ali")
    await sign_up_volunteer(ali)
    await ali.send("/activities")
    await ali.press(f"✋ Meld mig til: {TITLE}")

    moot = await walk.hanne.press("❌ Aflys", in_message=to_hanne)
    assert "ikke længere tage stilling til" in moot[-1].text
    assert await walk.stored.value(STATUS, t=TITLE) == "published"

    move_clock_to_hours_before(clock, hours=23)
    assert await settle(walk.runtime) == 0  # enough volunteers: no default cancellation
    assert await remind(walk.runtime) == 2
    await walk.deliver()
    reminder = await next_saying(walk.mette, "Påmindelse")
    assert "Du bliver ikke alene – Ali kommer også" in reminder.text


async def test_an_activity_first_seen_short_near_its_start_is_still_settled_before_it(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)

    # The job did not run until two hours before (the bot was down): asked now, with an hour
    # to answer, and the reminder waits.
    move_clock_to_hours_before(clock, hours=2)
    assert await settle(walk.runtime) == 2
    assert await remind(walk.runtime) == 0
    await walk.deliver()
    to_hanne = await next_saying(walk.hanne, "Skal den gennemføres alligevel?")

    move_clock_to_hours_before(clock, hours=1)
    assert await settle(walk.runtime) == 1
    await walk.deliver()

    assert await walk.stored.value(STATUS, t=TITLE) == "cancelled"
    to_mette = await next_saying(walk.mette, "er aflyst")
    assert "Der kom ikke de mindst 2 frivillige" in to_mette.text
    late = await walk.hanne.press("✅ Gennemfør alligevel", in_message=to_hanne)
    assert "allerede aflyst" in late[-1].text


async def test_too_late_to_ask_it_is_cancelled_and_the_coordinators_hear_why(
    start_bot, local_api, clock
) -> None:
    walk = await short_walk(start_bot, local_api, clock)
    move_clock_to_hours_before(clock, hours=1)
    clock.advance(timedelta(minutes=30))  # the bot was down until half an hour before

    assert await settle(walk.runtime) == 1  # no question: no time to answer it
    await walk.deliver()

    assert await walk.stored.value(STATUS, t=TITLE) == "cancelled"
    to_hanne = await next_saying(walk.hanne, TITLE)
    assert "Skal den gennemføres alligevel?" not in to_hanne.text
    assert "havde stadig ikke de mindst 2 frivillige, den skal bruge, en time før start" in (
        to_hanne.text
    )
    assert "Den ene tilmeldte har fået besked" in to_hanne.text
    assert "er aflyst" in (await next_saying(walk.mette, "er aflyst")).text
