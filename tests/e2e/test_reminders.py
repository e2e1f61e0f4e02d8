"""Volunteers going to an activity are reminded the day before, told who else is coming, and
never twice for the same start time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app import runtime_of
from scheduler.outbox import sender_of
from services.reminders import remind
from storage import activities
from tests.e2e.journeys import plan_activity, sign_up_volunteer

COORDINATOR_ID = 777000001


def bot_texts(user) -> list[str]:
    return [message.text for message in user.messages if message.from_bot]


async def test_volunteers_are_reminded_a_day_before_and_hear_who_else_is_going(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    runtime = runtime_of(application)
    starts = (clock.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    typed = starts.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%d/%m/%Y %H:%M")
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when=typed)
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    for volunteer in (mette, ali):
        await sign_up_volunteer(volunteer)
    await ali.send("/language")
    await ali.press("🇬🇧 English")
    for volunteer in (mette, ali):
        await volunteer.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    await ali.press("✋ Join: Gåtur i Munke Mose")
    assert "Ali skal også med" in (await mette.next_message()).text

    assert await remind(runtime) == 0  # two days ahead: too early
    clock.advance(timedelta(days=1, hours=1))
    assert await remind(runtime) == 2
    await sender_of(application).deliver_due()

    to_mette = await mette.next_message()
    assert "Påmindelse: Gåtur i Munke Mose" in to_mette.text
    assert "Munke Mose, Odense" in to_mette.text
    assert "Du bliver ikke alene – Ali kommer også" in to_mette.text
    to_ali = await ali.next_message()
    assert "Reminder: Gåtur i Munke Mose" in to_ali.text
    assert "You will not be alone – Mette will be there too" in to_ali.text

    seen = bot_texts(mette), bot_texts(ali)
    assert await remind(runtime) == 0
    await sender_of(application).deliver_due()
    assert (bot_texts(mette), bot_texts(ali)) == seen

    # Moved two hours earlier: a fresh reminder for the new start.
    async with runtime.sessions.begin() as session:
        [walk] = await activities.upcoming(session, now=clock.now())
        await activities.change(
            session,
            walk.id,
            by=walk.created_by,
            now=clock.now(),
            starts_at=starts - timedelta(hours=2),
        )
    assert await remind(runtime) == 2
