"""A citizen's needs on the day (issue 14): chosen with the authority the support person
answers on, recorded in the consent ledger without the name, shown to the volunteers going
only in the 48 hours before and during the activity, never in reminders; shared between two
support persons and erased, to the last byte, when the last of them removes the citizen."""

from __future__ import annotations

import json
import re

from bot.app import runtime_of
from scheduler.outbox import sender_of
from services.reminders import remind
from tests.e2e.disk import still_stored
from tests.e2e.journeys import (
    book,
    move_clock_to_hours_before,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Gåtur i Munke Mose"
NOTE = "Tåler ikke gluten og elsker salmer"
CITIZEN_EVENTS = (
    "SELECT purpose, action, authority, text_version, text_sha256, actor FROM consent_events "
    "WHERE subject LIKE 'citizen:%' ORDER BY id"
)


def bot_texts(user) -> list[str]:
    return [message.text or "" for message in user.messages if message.from_bot]


async def add_with_needs(lars, name: str, *needs: str, note: str | None = None) -> None:
    """Add a citizen who agreed themselves, tick `needs`, and write `note` (or skip it)."""
    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    await lars.send(name)
    await lars.press(f"✅ Ja, {name} har sagt ja")
    for need in needs:
        await lars.press(need)
    await lars.press("Færdig ✔️")
    if note is None:
        await lars.press("Spring over")
    else:
        await lars.send(note)


async def test_needs_are_chosen_on_an_authority_the_ledger_keeps_without_the_name(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    lars = local_api.user("Lars", last_name="Holm", language_code="da")
    await register_support_person(lars)

    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    surname = await lars.send("Peter Jensen")
    assert "Kun fornavnet, tak" in surname[-1].text
    asked = await lars.send("Peter")
    assert "Hvem har sagt ja til dette?" in asked[-1].text and "Aldrig diagnoser" in asked[-1].text
    added = await lars.press("✅ En værge har sagt ja")
    assert "Peter er tilføjet" in added[-1].text
    assert "Ingen diagnoser" in added[-1].text
    ticked = await lars.press("♿ Kørestol")
    assert "✔️ ♿ Kørestol" in str(ticked[-1].buttons())
    await lars.press("🤫 Har brug for ro omkring sig")
    note_asked = await lars.press("Færdig ✔️")
    assert "Ingen diagnoser, CPR-numre eller telefonnumre" in note_asked[-1].text

    for cpr in ("Peters CPR er 010190-1234", "0101901234"):
        refused = await lars.send(cpr)
        assert "ligner et CPR-nummer" in refused[-1].text
    refused = await lars.send("Ring til hans søster på 20 12 34 56")
    assert "ligner et telefonnummer" in refused[-1].text
    refused = await lars.send("x" * 201)
    assert "højst være 200 tegn" in refused[-1].text
    saved = await lars.send(NOTE)
    assert "♿ Kørestol, 🤫 Har brug for ro omkring sig" in saved[-1].text
    assert NOTE in saved[-1].text

    rows = await stored.value("SELECT count(*) FROM citizens WHERE first_name = 'Peter'")
    assert rows == 1
    assert await stored.value("SELECT note FROM citizen_needs") == NOTE
    assert "Jensen" not in json.dumps(await stored.every_row(), default=str)

    async with runtime_of(application).sessions() as session:
        events = (await session.execute(__import__("sqlalchemy").text(CITIZEN_EVENTS))).all()
    assert [(e.purpose, e.action, e.authority, e.actor) for e in events] == [
        ("citizen_bookings", "granted", "guardian", "support_person"),
        ("citizen_needs", "granted", "guardian", "support_person"),
    ]
    ledger = json.dumps(
        (await stored.every_row())["consent_events"], default=str, ensure_ascii=False
    )
    assert "Peter" not in ledger and "gluten" not in ledger and "wheelchair" not in ledger

    # Needs changed later, recorded the same way.
    await lars.send("/citizens")
    await lars.press("✏️ Behov: Peter")
    await lars.press("♿ Kørestol")
    await lars.press("Færdig ✔️")
    saved = await lars.press("Spring over")
    assert "🤫 Har brug for ro omkring sig" in saved[-1].text and "Kørestol" not in saved[-1].text
    assert (
        await stored.value("SELECT count(*) FROM consent_events WHERE purpose = 'citizen_needs'")
        == 2
    )

    [document] = await lars.send("/mydata")
    export = json.loads(await lars.download(document))
    text = json.dumps(export, ensure_ascii=False)
    assert '"authority": "guardian"' in text and '"needs": ["quiet"]' in text


async def test_an_english_parent_adds_a_child_and_shares_them_with_a_colleague(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    tom = local_api.user("Tom", language_code="da")
    await register_support_person(tom)
    await tom.send("/language")
    await tom.press("🇬🇧 English")
    await tom.send("/citizens")
    await tom.press("➕ Add a person")
    await tom.send("Ahmed")
    added = await tom.press("✅ I am the parent of a child under 18")
    assert "Ahmed is added" in added[-1].text and "No diagnoses" in added[-1].text
    await tom.press("👂 Hard of hearing")
    await tom.press("Done ✔️")
    saved = await tom.press("Skip")
    assert "👂 Hard of hearing" in saved[-1].text
    assert await stored.value("SELECT authority FROM citizen_needs") == "parent"

    await tom.send("/citizens")
    link = await tom.press("🔗 Share Ahmed with a colleague")
    assert "It works once, for 7 days" in link[-1].text
    parameter = re.search(r"start=(share-[A-Za-z0-9_-]+)", link[-1].text).group(1)
    assert await stored.value("SELECT count(*) FROM people WHERE campaign LIKE 'share-%'") == 0
    token_part = parameter.removeprefix("share-")
    assert token_part not in json.dumps(await stored.every_row(), default=str)

    stranger = local_api.user("Sara", language_code="en")
    refused = await stranger.send(f"/start {parameter}")
    assert "This link is for support persons" in refused[-1].text
    eva = local_api.user("Eva", language_code="da")
    await register_support_person(eva)
    accepted = await eva.send(f"/start {parameter}")
    assert "Du booker nu også for Ahmed" in accepted[-1].text
    again = await eva.send(f"/start {parameter}")
    assert "allerede brugt eller udløbet" in again[-1].text


async def test_a_shared_citizen_removed_by_one_stays_and_by_the_last_leaves_no_bytes(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url, coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Ingeborg", "🍽 Mad og allergier", note=NOTE)
    await lars.send("/citizens")
    link = await lars.press("🔗 Del Ingeborg med en kollega")
    parameter = re.search(r"start=(share-[A-Za-z0-9_-]+)", link[-1].text).group(1)
    karin = local_api.user("Karin", last_name="Dahlgaard", language_code="da")
    await register_support_person(karin, citizens=("Bo",))
    await karin.send(f"/start {parameter}")

    await book(karin, TITLE, "Ingeborg")  # either can book
    mine = await lars.send("/bookings")
    assert "Ingeborg: Gåtur i Munke Mose" in mine[-1].text

    await lars.send("/citizens")
    asked = await lars.press("🗑 Fjern Ingeborg")
    assert "Du deler Ingeborg med en kollega" in asked[-1].text
    removed = await lars.press("🗑 Ja, fjern Ingeborg")
    assert "Din kollega har stadig Ingeborg" in removed[-1].text
    assert await stored.value("SELECT count(*) FROM bookings") == 1
    kept = await karin.send("/citizens")
    assert "Ingeborg" in kept[-1].text and "Mad og allergier" in kept[-1].text
    gone = await lars.send("/citizens")
    assert "Ingeborg" not in gone[-1].text

    await karin.send("/citizens")
    await karin.press("🗑 Fjern Ingeborg")
    await karin.press("🗑 Ja, fjern Ingeborg")
    assert await stored.value("SELECT count(*) FROM citizens") == 1  # Bo
    assert await stored.value("SELECT count(*) FROM citizen_needs") == 1
    assert await stored.value("SELECT citizens_booked FROM activities") == 0
    assert await still_stored(database_url, ["Ingeborg", NOTE]) == []


async def test_volunteers_going_see_needs_only_in_the_window_and_never_in_reminders(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    runtime = runtime_of(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    for volunteer in (mette, ali):
        await sign_up_volunteer(volunteer)
        await volunteer.send("/activities")
        await volunteer.press(f"✋ Meld mig til: {TITLE}")
    await ali.send("/language")
    await ali.press("🇬🇧 English")
    lars = local_api.user("Lars", last_name="Holm", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Anna", "♿ Kørestol", note=NOTE)
    await book(lars, TITLE, "Anna")
    ole = local_api.user("Ole")
    await sign_up_volunteer(ole)
    activity_id = await Stored(application).value("SELECT id FROM activities")

    move_clock_to_hours_before(clock, hours=49)
    await mette.send("/my_activities")
    early = await mette.press("👥 Hvem kommer")
    assert "fra 48 timer før start" in early[-1].text and "Anna" not in early[-1].text

    move_clock_to_hours_before(clock, hours=47)
    shown = await mette.press("👥 Hvem kommer")
    assert "Anna" in shown[-1].text and "♿ Kørestol" in shown[-1].text
    assert NOTE in shown[-1].text
    assert f"Kun til brug ved {TITLE}" in shown[-1].text
    await ali.send("/my_activities")
    shown = await ali.press("👥 Who's coming")
    assert "♿ Uses a wheelchair" in shown[-1].text and f"For {TITLE} on" in shown[-1].text

    # Ole never joined: a forged press reads nothing.
    forged = await ole.press_data(f"who:{activity_id}")
    assert not any("Anna" in (m.text or "") for m in forged)
    assert "kun de frivillige, der er meldt til" in ole.alerts[-1]["text"].lower()

    # Mette leaves: the same button shows her nothing from that moment.
    await mette.send("/my_activities")
    await mette.press(f"Meld fra: {TITLE}")
    after = await mette.press_data(f"who:{activity_id}")
    assert not any("Anna" in (m.text or "") for m in after)
    assert "meldt til aktiviteten" in mette.alerts[-1]["text"]

    # Reminders name no needs, to volunteers or to the support person.
    seen_before = {person.id: len(bot_texts(person)) for person in (ali, lars)}
    move_clock_to_hours_before(clock, hours=23)
    assert await remind(runtime) >= 2
    await sender_of(application).deliver_due()
    reminders = [text for p in (ali, lars) for text in bot_texts(p)[seen_before[p.id] :]]
    assert any("Reminder" in text for text in reminders)
    assert any("Anna" in text for text in reminders)  # the support person's own reminder
    for text in reminders:
        assert "Kørestol" not in text and "wheelchair" not in text and NOTE not in text
    # The volunteer's reminder has the button that draws them fresh, for this walk only.
    reminder = next(m for m in reversed(ali.messages) if "Reminder" in (m.text or ""))
    assert reminder.buttons()[-1] == ["👥 Who's coming"]
    shown = await ali.press("👥 Who's coming", in_message=reminder)
    assert "♿ Uses a wheelchair" in shown[-1].text and f"For {TITLE} on" in shown[-1].text

    # Coordinators see every booked citizen's needs on the participant list.
    await hanne.send("/activities")
    await hanne.press(f"⚙️ {TITLE}")
    people = await hanne.press("👥 Hvem kommer")
    assert "Anna – via Lars Holm" in people[-1].text and "Behov: ♿ Kørestol" in people[-1].text

    # Once the activity has ended, nothing is shown.
    move_clock_to_hours_before(clock, hours=-3)
    ended = await ali.press_data(f"who:{activity_id}")
    assert not any("Anna" in (m.text or "") for m in ended)
    assert "activity has ended" in ali.alerts[-1]["text"]

    # Removing Anna afterwards erases her, but the walk still counts one citizen who came.
    await lars.send("/citizens")
    await lars.press("🗑 Fjern Anna")
    await lars.press("🗑 Ja, fjern Anna")
    stored = Stored(application)
    assert await stored.value("SELECT count(*) FROM citizens") == 0
    assert await stored.value("SELECT citizens_booked FROM activities") == 1


async def test_book_lists_first_the_activities_that_fit_the_citizens_needs(
    start_bot, local_api, database_url
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,), database_url=database_url)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, when="i morgen 10:00")
    # Three sooner ones that lack what Anna needs fill a page of three by date alone.
    await plan_activity(hanne, title="Kegler i centret", when="i morgen 12:00")
    await plan_activity(hanne, title="Byvandring", when="i morgen 15:00")
    await plan_activity(
        hanne,
        title="Kaffe i haven",
        when="i overmorgen 18:00",
        access=("Niveaufri adgang", "Handicaptoilet", "Plads til en ledsager"),
    )
    lars = local_api.user("Lars", last_name="Holm", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Anna", "♿ Kørestol", "🧑‍🤝‍🧑 Har en ledsager med")
    await add_with_needs(lars, "Bo")

    [listing] = await lars.send("/book")
    text = listing.text
    # The one that fits comes first, on the first page, though three others come sooner.
    assert text.index("Kaffe i haven") < text.index(TITLE)
    assert "Byvandring" not in text  # the soonest of those that do not fit waits for page 2
    assert "✔️ Passer til behovene hos Anna" in text
    assert "⚠️ Til Anna mangler: Handicaptoilet, Plads til en ledsager" in text
    assert "Bo" not in text  # no needs the place could fail


async def test_coordinators_extend_the_list_of_needs_and_retire_what_they_added(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await hanne.send("/start")
    overview = await hanne.send("/needs")
    assert "♿ Kørestol" in overview[-1].text
    await hanne.press("➕ Tilføj et behov")
    await hanne.send("🐕 Har førerhund med")
    added = await hanne.send("🐕 Brings a guide dog")
    assert "»🐕 Har førerhund med« er nu på listen" in added[-1].text

    lars = local_api.user("Lars", last_name="Holm", language_code="da")
    await register_support_person(lars)
    await add_with_needs(lars, "Anna", "🐕 Har førerhund med")
    listing = await lars.send("/citizens")
    assert "Anna – 🐕 Har førerhund med" in listing[-1].text

    await hanne.send("/needs")
    await hanne.press("🗑 Fjern 🐕 Har førerhund med")
    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    await lars.send("Bo")
    fresh = await lars.press("✅ Ja, Bo har sagt ja")
    assert "førerhund" not in str(fresh[-1].buttons())  # retired: no longer offered
    kept = await lars.send("/citizens")
    assert "Anna – 🐕 Har førerhund med" in kept[-1].text  # but Anna keeps it
