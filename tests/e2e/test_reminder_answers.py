"""Reminders at 24 and 2 hours before the start, each once, answered with one tap: coming is
shown to the coordinators on the card; can't come frees the place for the first waiting, who
is told, and the others going hear it. Support persons answer per citizen. In Danish and
English, with the movable clock and the bot's own jobs."""

from __future__ import annotations

from bot.app import stop
from tests.e2e.journeys import (
    book,
    move_clock_to_hours_before,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)
from tests.e2e.stored import Stored

HANNE = 777000001
TITLE = "Gåtur i Munke Mose"
REMINDERS = "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reminder'"


async def run_job(application, name: str) -> None:
    """Run a scheduled job now, as the job queue runs it."""
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


async def run_reminders(application) -> None:
    await run_job(application, "reminders")
    await run_job(application, "outbox")


def reminders_to(user) -> list[str]:
    return [
        m.text
        for m in user.messages
        if m.from_bot and ("Påmindelse" in (m.text or "") or "Reminder" in (m.text or ""))
    ]


async def next_reminder(user):
    """The next reminder in the chat, past any other notice."""
    while True:
        message = await user.next_message()
        if "Påmindelse" in (message.text or "") or "Reminder" in (message.text or ""):
            return message


async def join(user, title: str = TITLE, *, english: bool = False) -> None:
    await user.send("/activities")
    await user.press(f"✋ Join: {title}" if english else f"✋ Meld mig til: {title}")


async def test_both_reminders_arrive_once_each_also_across_a_restart(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    for volunteer in (mette, ali):
        await sign_up_volunteer(volunteer)
    await ali.send("/language")
    await ali.press("🇬🇧 English")
    await join(mette)
    await join(ali, english=True)

    move_clock_to_hours_before(clock, hours=25)
    await run_reminders(application)
    assert reminders_to(mette) == []

    move_clock_to_hours_before(clock, hours=24)
    await run_reminders(application)
    first = await next_reminder(mette)
    assert "Påmindelse: Gåtur i Munke Mose" in first.text
    # Time and place first, the accessibility of the place, and who else is coming.
    lines = first.text.splitlines()
    assert lines[1].startswith("🗓") and lines[2].startswith("📍 Munke Mose, Odense")
    assert "♿ Niveaufri adgang" in first.text
    assert "Ali kommer også" in first.text
    assert first.buttons()[0] == ["✅ Jeg kommer", "❌ Jeg kan ikke alligevel"]
    to_ali = await next_reminder(ali)
    assert "Reminder: Gåtur i Munke Mose" in to_ali.text
    assert to_ali.buttons()[0] == ["✅ I'm coming", "❌ I can't come after all"]

    # A restart runs the job at once: nothing is sent twice.
    await stop(application)
    application = await start_bot(coordinator_ids=(HANNE,))
    await run_reminders(application)
    assert await Stored(application).value(REMINDERS) == 2

    move_clock_to_hours_before(clock, hours=2)
    await run_reminders(application)
    await run_reminders(application)
    assert await Stored(application).value(REMINDERS) == 4
    # Sent at Telegram's pace of one message a second per chat: the second may wait a moment.
    await next_reminder(mette)
    await next_reminder(ali)
    assert len(reminders_to(mette)) == 2
    assert len(reminders_to(ali)) == 2


async def test_cant_come_moves_the_waiting_list_up_and_coming_shows_on_the_card(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1", maximum="2")
    mette, ali, ida = local_api.user("Mette"), local_api.user("Ali"), local_api.user("Ida")
    for volunteer in (mette, ali, ida):
        await sign_up_volunteer(volunteer)
    await join(mette)
    await join(ali)
    await ida.send("/activities")
    await ida.press(f"⏳ Venteliste: {TITLE}")

    move_clock_to_hours_before(clock, hours=24)
    await run_reminders(application)
    reminder = await next_reminder(mette)
    answered = await mette.press("✅ Jeg kommer", in_message=reminder)
    assert "Vi glæder os til at se dig" in answered[-1].text

    to_ali = await next_reminder(ali)
    cant_data = to_ali.inline_buttons()[1]["callback_data"]
    replies = await ali.press("❌ Jeg kan ikke alligevel", in_message=to_ali)
    [cant, why] = [reply for reply in replies if not reply.edited]
    assert "Din plads til" in cant.text and "givet videre" in cant.text
    assert "Må vi spørge hvorfor?" in why.text
    thanks = await ali.press("🤒 Jeg er syg", in_message=why)
    assert "Tak" in thanks[-1].text
    assert await stored.participation(TITLE) == {mette.id: "joined", ida.id: "joined"}

    await run_job(application, "outbox")
    while "plads fri" not in (moved_up := await ida.next_message()).text:
        pass
    assert TITLE in moved_up.text
    # The one moved up is reminded too (the reminders went out), with buttons of their own.
    late = await next_reminder(ida)
    assert "✅ Jeg kommer" in late.buttons()[0]
    while "kan alligevel ikke komme" not in (told := await mette.next_message()).text:
        pass
    assert "Ali" in told.text
    reason = await stored.value(
        "SELECT reason FROM late_departures WHERE person_id = "
        "(SELECT id FROM people WHERE telegram_id = :id)",
        id=ali.id,
    )
    assert reason == "ill"

    # Ali's button again: not going any more, nothing changes.
    again = await ali.press_data(cant_data, in_message=to_ali)
    assert "ikke længere tilmeldt" in again[-1].text
    assert await stored.participation(TITLE) == {mette.id: "joined", ida.id: "joined"}

    await hanne.send("/activities")
    card = (await hanne.press(f"⚙️ {TITLE}"))[-1]
    assert "✅ Har bekræftet: Mette" in card.text
    assert "⏳ Har ikke svaret: Ida" in card.text


async def test_a_support_person_answers_per_citizen_in_english(start_bot, local_api, clock) -> None:
    application = await start_bot(coordinator_ids=(HANNE,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await join(mette)
    lars = local_api.user("Lars")
    await register_support_person(lars, citizens=("Ingeborg", "Bo"))
    await book(lars, TITLE, "Ingeborg", "Bo")
    await lars.send("/language")
    await lars.press("🇬🇧 English")

    move_clock_to_hours_before(clock, hours=24)
    await run_reminders(application)
    reminder = await next_reminder(lars)
    assert reminder.buttons() == [
        ["✅ Ingeborg is coming", "❌ Ingeborg can't come after all"],
        ["✅ Bo is coming", "❌ Bo can't come after all"],
    ]
    coming = await lars.press("✅ Ingeborg is coming", in_message=reminder)
    assert "Ingeborg is coming" in coming[-1].text
    cant = await lars.press("❌ Bo can't come after all", in_message=reminder)
    assert "Bo's place" in cant[-1].text
    booked = await stored.value(
        "SELECT COUNT(*) FROM bookings JOIN citizens ON citizens.id = bookings.citizen_id"
    )
    assert booked == 1
    assert await stored.value("SELECT citizens_booked FROM activities") == 1

    await hanne.send("/activities")
    card = (await hanne.press(f"⚙️ {TITLE}"))[-1]
    assert "Har bekræftet: Ingeborg" in card.text
    assert "Har ikke svaret: Mette" in card.text


async def test_a_photo_of_the_meeting_point_is_kept_shown_from_the_card_and_sent_with_reminders(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await hanne.send("/new_activity")
    await hanne.send(TITLE)
    await hanne.send("Vi går en tur rundt om søen.")
    await hanne.press("Gåture")
    await hanne.send("Munke Mose, Odense")
    saved = await hanne.send_photo()
    assert "Billedet af mødestedet er gemt" in saved[0].text
    assert "Vil du sætte stedet på et kort?" in saved[-1].text  # the same question again
    await hanne.press("Spring over")
    await hanne.send("24/12 14:00")
    await hanne.press("2 t")
    await hanne.send("4")
    await hanne.send("1")
    await hanne.send("3")
    await hanne.press("Færdig ✔️")
    await hanne.press("Kun én gang")
    await hanne.press("✅ Offentliggør")
    file_id = await Stored(application).value("SELECT meeting_photo FROM activities")
    assert file_id

    await hanne.send("/activities")
    card = (await hanne.press(f"⚙️ {TITLE}"))[-1]
    shown = await hanne.press("📷 Billede af mødestedet", in_message=card)
    assert shown[-1].photo is not None
    assert "Mødestedet for" in (shown[-1].caption or "")

    # The reminder comes with the photo, its text the caption, its answers underneath.
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await join(mette)
    move_clock_to_hours_before(clock, hours=24)
    await run_reminders(application)
    while "Påmindelse" not in ((reminder := await mette.next_message()).caption or ""):
        pass
    assert reminder.photo is not None
    assert "📍 Munke Mose, Odense" in (reminder.caption or "")
    assert reminder.buttons()[0] == ["✅ Jeg kommer", "❌ Jeg kan ikke alligevel"]
