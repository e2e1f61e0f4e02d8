"""Walking through the features of issues 12-14 together, as people would: where a shared
citizen, an approval that is still waiting, a removed support person, a broadcast and a
reminder meet."""

from __future__ import annotations

import asyncio
import re

from tests.e2e.journeys import book, plan_activity, register_support_person
from tests.e2e.stored import Stored

HANNE_ID = 777000001
TITLE = "Gåtur i Munke Mose"
NOTE = "Tåler ikke gluten"


async def told(user, words: str) -> str:
    """The bot message to `user` with these words, waiting for the outbox to deliver it."""
    for _ in range(50):
        found = [m.text for m in user.messages if m.from_bot and m.text and words in m.text]
        if found:
            return found[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"{user} was never told {words!r}")


async def add_with_needs(user, name: str, *needs: str, note: str | None = None) -> None:
    await user.send("/citizens")
    await user.press("➕ Tilføj en person")
    await user.send(name)
    await user.press(f"✅ Ja, {name} har sagt ja")
    for need in needs:
        await user.press(need)
    await user.press("Færdig ✔️")
    if note is None:
        await user.press("Spring over")
    else:
        await user.send(note)


async def share_link(user, name: str) -> str:
    await user.send("/citizens")
    link = await user.press(f"🔗 Del {name} med en kollega")
    return re.search(r"start=(share-[A-Za-z0-9_-]+)", link[-1].text).group(1)


async def register_uninvited(user, workplace: str) -> None:
    english = user.language_code == "en"
    await user.send("/start")
    await user.press("🤝 I am a support person" if english else "🤝 Jeg er støtteperson")
    await user.send(f"{user.first_name} Mortensen")
    await user.press(
        "✅ I agree, and I am 18 or older" if english else "✅ Jeg siger ja, og jeg er fyldt 18"
    )
    await user.share_contact(f"+45204{user.id % 100_000:05d}")
    await user.send(workplace)
    await user.press("✅ Yes, that is right" if english else "✅ Ja, det er rigtigt")


async def test_a_waiting_colleague_takes_a_shared_citizen_once_approved_and_keeps_their_places(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE_ID,), database_url=database_url)
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg", "♿ Kørestol", note=NOTE)
    await book(lars, TITLE, "Ingeborg")
    parameter = await share_link(lars, "Ingeborg")

    karin = local_api.user("Karin", language_code="da")
    await register_uninvited(karin, "Bostedet Skovbo")
    early = await karin.send(f"/start {parameter}")
    assert "venter stadig på svar" in early[-1].text
    assert "Ingeborg" not in early[-1].text
    waiting = await karin.send("/book")
    assert "venter stadig på svar" in waiting[-1].text

    await told(hanne, "Karin Mortensen, Bostedet Skovbo")
    await hanne.press("✅ Godkend")
    await told(karin, "Du er godkendt som støtteperson")
    # The link was not used up by the refused attempt.
    accepted = await karin.send(f"/start {parameter}")
    assert "Du booker nu også for Ingeborg" in accepted[-1].text

    await hanne.send("/team")
    asked = await hanne.press("❌ Fjern Lars Vestergaard")
    assert "Borgere, som en kollega også booker for, bliver hos kollegaen" in asked[-1].text
    await hanne.press("✅ Ja, fjern støttepersonen")
    gone = await told(lars, "En koordinator har fjernet dig som støtteperson")
    assert "Dem, du delte med en kollega, er nu hos kollegaen" in gone

    # Karin still looks after Ingeborg, with her needs, and her place on the walk stays.
    kept = await karin.send("/citizens")
    assert "Ingeborg" in kept[-1].text and "Kørestol" in kept[-1].text
    assert await stored.value("SELECT count(*) FROM bookings") == 1
    assert await stored.value("SELECT citizens_booked FROM activities") == 1
    mine = await karin.send("/bookings")
    assert f"Ingeborg: {TITLE}" in mine[-1].text


async def test_broadcasts_reach_approved_support_persons_once_and_name_no_needs(
    start_bot, local_api, database_url
) -> None:
    from tests.e2e.test_broadcasts import deliver_everything, run_broadcasts_job, saying

    application = await start_bot(coordinator_ids=(HANNE_ID,), database_url=database_url)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg", "♿ Kørestol", note=NOTE)
    await add_with_needs(lars, "Bo")
    eva = local_api.user("Eva", last_name="Holm", language_code="da")
    await register_support_person(eva)
    await eva.send(f"/start {await share_link(lars, 'Ingeborg')}")
    await book(eva, TITLE, "Ingeborg")
    await book(lars, TITLE, "Bo")
    karin, tom = local_api.user("Karin", language_code="da"), local_api.user("Tom")
    await register_uninvited(karin, "Bostedet Skovbo")
    await register_uninvited(tom, "Dagcenter Lyset")
    await told(hanne, "Tom Mortensen, Dagcenter Lyset")
    await hanne.press("Afvis")

    # Waiting for an answer, or declined: not among the support persons a broadcast reaches.
    await hanne.send("/broadcast")
    await hanne.press("Alle støttepersoner")
    shown = await hanne.send("Husk julefrokosten")
    assert "Den går til <b>2 personer</b> lige nu" in shown[-1].html  # Lars and Eva
    await hanne.press("📤 Send nu")
    await deliver_everything(application)
    assert saying(karin, "julefrokosten") == [] and saying(tom, "julefrokosten") == []
    assert len(saying(lars, "julefrokosten")) == 1 and len(saying(eva, "julefrokosten")) == 1
    await run_broadcasts_job(application)
    report = hanne.messages[-1].text
    assert "2 fik den, 0 kunne ikke nås" in report and "Fejl" not in report, report
    listed = await hanne.send("/broadcasts")
    assert listed[0].text.startswith("Den seneste besked til mange:")

    # Everyone going: Lars once for his two citizens.
    await hanne.send("/broadcast")
    await hanne.press("Alle, der skal med til en aktivitet")
    await hanne.press(TITLE)
    await hanne.send("Vi mødes ved søen")
    await hanne.press("📤 Send nu")
    await deliver_everything(application)
    assert len(saying(lars, "ved søen")) == 1
    for person in (lars, eva):
        for message in saying(person, "ved søen"):
            assert "Kørestol" not in message.text and NOTE not in message.text


async def test_a_volunteer_made_coordinator_still_going_to_a_walk(
    start_bot, local_api, clock
) -> None:
    from bot.app import runtime_of
    from scheduler.outbox import sender_of
    from services.reminders import remind
    from tests.e2e.journeys import move_clock_to_hours_before, sign_up_volunteer
    from tests.e2e.test_broadcasts import deliver_everything, saying

    application = await start_bot(coordinator_ids=(HANNE_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)
    await ole.send("/activities")
    await ole.press(f"✋ Meld mig til: {TITLE}")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg", "♿ Kørestol", note=NOTE)
    await book(lars, TITLE, "Ingeborg")

    await hanne.send("/team")
    await hanne.press("⬆️ Foreslå en frivillig som koordinator")
    await hanne.press("⬆️ Ole Bundgaard")
    await told(ole, "foreslår, at du bliver koordinator")
    await ole.press("✅ Ja, gerne")
    await told(ole, "koordinator")

    # Still going: the message to everyone going reaches Ole as his reminders do.
    await hanne.send("/broadcast")
    await hanne.press("Alle, der skal med til en aktivitet")
    await hanne.press(TITLE)
    shown = await hanne.send("Vi mødes ved søen")
    assert "Den går til <b>2 personer</b> lige nu" in shown[-1].html  # Ole and Lars
    await hanne.press("📤 Send nu")
    await deliver_everything(application)
    assert len(saying(ole, "ved søen")) == 1

    move_clock_to_hours_before(clock, hours=23)
    await remind(runtime_of(application))
    await sender_of(application).deliver_due()
    reminder = next(m for m in reversed(ole.messages) if "Påmindelse" in (m.text or ""))
    came = await ole.press("✅ Jeg kommer", in_message=reminder)
    assert "Vi glæder os til at se dig" in came[-1].text
    mine = await ole.send("/my_activities")
    assert "Som koordinator finder du alle aktiviteter under /activities" in mine[-1].text


async def menu_of(local_api, user, *, has: str | None = None, lacks: str | None = None) -> list:
    """The commands in the user's own chat menu, once it has `has` / lacks `lacks`."""
    for _ in range(50):
        menu = [c["command"] for c in local_api.commands.get((f"chat:{user.id}", ""), [])]
        if (has is None or has in menu) and (lacks is None or lacks not in menu):
            return menu
        await asyncio.sleep(0.1)
    return menu


async def test_help_and_menu_of_a_support_person_waiting_list_only_what_works(
    start_bot, local_api
) -> None:
    from bot.app import runtime_of
    from services.menus import follow_roles

    application = await start_bot(coordinator_ids=(HANNE_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    karin = local_api.user("Karin", language_code="da")
    await register_uninvited(karin, "Bostedet Skovbo")
    tom = local_api.user("Tom", language_code="en")
    await register_uninvited(tom, "Dagcenter Lyset")

    helped = await karin.send("/help")
    assert "venter på svar fra en koordinator" in helped[-1].text
    listed = re.findall(r"^(/\w+)", helped[-1].text, flags=re.M)
    assert listed == ["/start", "/help", "/profile", "/language", "/mydata", "/delete", "/cancel"]
    for command in listed:
        if command not in ("/start", "/delete", "/cancel"):
            got = await karin.send(command)
            assert "venter stadig på svar" not in (got[-1].text or ""), command
    assert "book" not in await menu_of(local_api, karin, has="profile")

    await told(hanne, "Tom Mortensen, Dagcenter Lyset")
    await hanne.press("Afvis")
    await told(tom, "did not approve you")
    helped = await tom.send("/help")
    assert "has not approved you" in helped[-1].text and "/book" not in helped[-1].text

    await told(hanne, "Karin Mortensen, Bostedet Skovbo")
    await hanne.press("✅ Godkend")
    await told(karin, "Du er godkendt som støtteperson")
    # Roles changed by someone else are followed by the scheduled job.
    await follow_roles(runtime_of(application), application.bot)
    assert "book" in await menu_of(local_api, karin, has="book")
    helped = await karin.send("/help")
    assert "Du er støtteperson" in helped[-1].text and "/book" in helped[-1].text


ALL_NEEDS = (
    "♿ Kørestol",
    "🚶 Går langsomt eller med rollator",
    "🧑‍🤝‍🧑 Har en ledsager med",
    "👂 Hører dårligt",
    "👁 Ser dårligt",
    "🤫 Har brug for ro omkring sig",
    "🍽 Mad og allergier",
    "🪫 Bliver hurtigt træt",
)
NAMES = ("Anna", "Bo", "Carl", "Dorte", "Erik", "Frida", "Gert", "Hanna", "Ib", "Jonna", "Karl")


async def test_whos_coming_with_many_citizens_and_long_notes_fits_telegrams_limit(
    start_bot, local_api, clock
) -> None:
    from tests.e2e.journeys import move_clock_to_hours_before, sign_up_volunteer

    await start_bot(coordinator_ids=(HANNE_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", seats="12", minimum="1")
    ole = local_api.user("Ole", language_code="da")
    await sign_up_volunteer(ole)
    await ole.send("/activities")
    await ole.press(f"✋ Meld mig til: {TITLE}")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    long_note = ("Kan lide at synge og gå lange ture ved vandet. " * 5)[:200]
    for name in NAMES:
        await add_with_needs(lars, name, *ALL_NEEDS, note=long_note)
    await book(lars, TITLE, *NAMES)

    move_clock_to_hours_before(clock, hours=40)
    await ole.send("/my_activities")
    shown = await ole.press("👥 Hvem kommer")
    seen = "\n".join(m.text for m in shown if m.from_bot and m.text)
    assert all(f"{name}:" in seen for name in NAMES)
    assert all(len(m.text or "") <= 4096 for m in shown)

    await hanne.send("/activities")
    await hanne.press(f"⚙️ {TITLE}")
    people = await hanne.press("👥 Hvem kommer")
    seen = "\n".join(m.text for m in people if m.from_bot and m.text)
    assert all(f"{name} – via Lars Vestergaard" in seen for name in NAMES)


async def test_a_coordinator_who_stepped_down_presses_send_on_an_old_draft(
    start_bot, local_api
) -> None:
    from tests.e2e.journeys import sign_up_volunteer
    from tests.e2e.test_broadcasts import deliver_everything, saying

    application = await start_bot(coordinator_ids=(HANNE_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)
    mette = local_api.user("Mette", language_code="da")
    await sign_up_volunteer(mette)
    await hanne.send("/team")
    await hanne.press("⬆️ Foreslå en frivillig som koordinator")
    await hanne.press("⬆️ Ole Bundgaard")
    await told(ole, "foreslår, at du bliver koordinator")
    await ole.press("✅ Ja, gerne")

    await ole.send("/broadcast")
    await ole.press("Alle frivillige")
    preview = await ole.send("Kaffe på fredag")
    draft = preview[-1]
    await ole.send("/team")
    await ole.press("🚪 Træd tilbage som koordinator")
    await ole.press("✅ Ja, jeg træder tilbage")

    for button in ("📤 Send nu", "🕒 Send senere …"):
        await ole.press(button, in_message=draft)
        assert "kun koordinatorer" in ole.alerts[-1]["text"]
    await deliver_everything(application)
    assert saying(mette, "Kaffe på fredag") == []
    assert await stored.value("SELECT count(*) FROM broadcasts WHERE status <> 'draft'") == 0


async def test_cant_come_on_an_old_reminder_after_the_support_person_was_removed(
    start_bot, local_api, clock
) -> None:
    from bot.app import runtime_of
    from scheduler.outbox import sender_of
    from services.reminders import remind
    from tests.e2e.journeys import move_clock_to_hours_before, sign_up_volunteer

    application = await start_bot(coordinator_ids=(HANNE_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg")
    await add_with_needs(lars, "Jonas")
    eva = local_api.user("Eva", last_name="Holm", language_code="da")
    await register_support_person(eva)
    await eva.send(f"/start {await share_link(lars, 'Ingeborg')}")
    await book(lars, TITLE, "Ingeborg", "Jonas")
    ole = local_api.user("Ole", language_code="da")
    await sign_up_volunteer(ole)
    await ole.send("/activities")
    await ole.press(f"✋ Meld mig til: {TITLE}")

    move_clock_to_hours_before(clock, hours=23)
    await remind(runtime_of(application))
    await sender_of(application).deliver_due()
    reminder = next(m for m in reversed(lars.messages) if "Påmindelse" in (m.text or ""))
    assert "Ingeborg og Jonas" in reminder.text
    cant = await lars.press("❌ Jonas kan ikke alligevel", in_message=reminder)
    assert f"Jonas er meldt fra {TITLE}, og pladsen er givet videre" in cant[-1].text
    await hanne.send("/team")
    await hanne.press("❌ Fjern Lars Vestergaard")
    await hanne.press("✅ Ja, fjern støttepersonen")
    await told(lars, "En koordinator har fjernet dig som støtteperson")
    for label in ("❌ Ingeborg kan ikke alligevel", "✅ Ingeborg kommer", "✅ Jonas kommer"):
        got = await lars.press(label, in_message=reminder)
        assert "Bookingen til Gåtur i Munke Mose findes ikke længere" in got[-1].text
    # Ingeborg keeps her place with Eva.
    assert await stored.value("SELECT count(*) FROM bookings") == 1
    mine = await eva.send("/bookings")
    assert f"Ingeborg: {TITLE}" in mine[-1].text


async def test_a_sharing_link_dies_with_the_sharers_hold_on_the_citizen(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(HANNE_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await hanne.send("/start")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg", "♿ Kørestol", note=NOTE)
    karin = local_api.user("Karin", last_name="Dahl", language_code="da")
    await register_support_person(karin)
    await karin.send(f"/start {await share_link(lars, 'Ingeborg')}")
    unused = await share_link(lars, "Ingeborg")

    # Lars leaves the job: a link he made before gives nobody Ingeborg now.
    await hanne.send("/team")
    await hanne.press("❌ Fjern Lars Vestergaard")
    await hanne.press("✅ Ja, fjern støttepersonen")
    await told(lars, "En koordinator har fjernet dig som støtteperson")
    eva = local_api.user("Eva", last_name="Holm", language_code="da")
    await register_support_person(eva)
    refused = await eva.send(f"/start {unused}")
    assert "allerede brugt eller udløbet" in refused[-1].text
    mine = await eva.send("/citizens")
    assert "Ingeborg" not in mine[-1].text
    assert await stored.value("SELECT count(*) FROM citizen_keepers") == 1  # Karin
