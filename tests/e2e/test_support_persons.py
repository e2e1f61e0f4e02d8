"""Support persons register, add the citizens they support, and book them into activities."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from bot.app import runtime_of, stop
from scheduler.outbox import sender_of
from services import consent_texts as consent
from services.reminders import remind
from storage import bookings, citizens
from storage.models import Activity, Booking, Citizen, ConsentEvent, Person, Role
from tests.e2e.journeys import (
    book,
    move_clock_to_hours_before,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
    support_invitation,
)

COORDINATOR_ID = 777000001


async def _rows(application, model) -> list:
    async with runtime_of(application).sessions() as session:
        return list((await session.execute(select(model))).scalars())


async def test_a_support_person_registers_and_books_a_citizen(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    mette = local_api.user("Mette", language_code="da")
    lars = local_api.user("Lars", last_name="Holm", language_code="da")
    await plan_activity(hanne, title="Gåtur i Munke Mose", seats="2")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("Meld mig til: Gåtur i Munke Mose")

    await lars.send("/start")
    intro = await lars.press("🤝 Jeg er støtteperson")
    assert "Hvad hedder du?" in intro[-1].text
    consent_text = await lars.send("Lars Holm")
    assert "fornavnene på dem, du booker for" in consent_text[-1].text
    # Before consent nothing but the Telegram id is kept: the name waits in memory.
    person = (await _rows(application, Person))[-1]
    assert person.role == Role.LEAD and person.name is None
    await lars.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await lars.share_contact("+4520123456")
    refused = await lars.send("   ")
    assert "Skriv navnet på det sted" in refused[-1].text
    review = await lars.send("Bostedet Skovbo")
    assert "Bostedet Skovbo" in review[-1].text and "+45 20 12 34 56" in review[-1].text
    done = await lars.press("✅ Ja, det er rigtigt")
    # Not invited: the coordinators are asked, and until one approves, Lars cannot book.
    assert "bedt koordinatorerne om at godkende dig" in done[-1].text
    waiting = await lars.send("/citizens")
    assert "venter stadig på svar fra en koordinator" in waiting[-1].text
    request = await hanne.next_message()
    assert "Lars Holm, Bostedet Skovbo" in request.text
    await hanne.press("✅ Godkend")
    told = await lars.next_message()
    assert "Du er godkendt som støtteperson" in told.text

    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    asked = await lars.send("Anna")
    assert "Har Anna sagt ja?" in asked[-1].text
    assert not await _rows(application, Citizen)  # nothing kept before the agreement
    added = await lars.press("✅ Ja, Anna har sagt ja")
    assert "Anna er tilføjet" in added[-1].text

    listing = await lars.press("📅 Book en aktivitet")
    card = listing[-1].text
    assert "Gåtur i Munke Mose" in card
    assert "Frivillige, der kommer: Mette" in card
    assert "2 ledige pladser til borgere (ud af 2)" in card
    await lars.press("📅 Book: Gåtur i Munke Mose")
    booked = await lars.press("Anna")
    assert "Anna er tilmeldt Gåtur i Munke Mose" in booked[-1].text

    mine = await lars.send("/bookings")
    assert "Anna: Gåtur i Munke Mose" in mine[-1].text

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    people = await hanne.press("👥 Hvem kommer")
    assert "Anna – via Lars Holm (Bostedet Skovbo), +45 20 12 34 56" in people[-1].text
    figures = await hanne.send("/stats")
    assert "Støttepersoner: 1, der booker for 1 borger · 1 kommende tilmelding" in (
        figures[-1].text
    )

    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 1
    (citizen,) = await _rows(application, Citizen)
    assert citizen.first_name == "Anna"
    (booking,) = await _rows(application, Booking)
    assert booking.citizen_id == citizen.id
    purposes = {(event.purpose, event.actor) for event in await _rows(application, ConsentEvent)}
    assert ("support_person_contact", "self") in purposes
    assert ("citizen_bookings", "support_person") in purposes
    stored = next(p for p in await _rows(application, Person) if p.telegram_id == lars.id)
    assert stored.role == Role.SUPPORT and stored.organisation == "Bostedet Skovbo"
    assert stored.signup_completed_at is not None


async def test_an_english_support_person_registers_as_a_relative(bot, local_api) -> None:
    tom = local_api.user("Tom", language_code="en")
    invited = await tom.send(f"/start {await support_invitation(tom)}")
    assert "You are invited to become a support person" in invited[-1].text
    await tom.press("👉 Get started")
    await tom.send("Tom Berg")
    await tom.press("✅ I agree, and I am 18 or older")
    wrong = await tom.send("call me maybe")
    assert "phone number" in wrong[-1].text.lower()
    await tom.send("+45 20 12 34 57")
    too_long = await tom.send("Bostedet " * 20)
    assert "keep it under 120 characters" in too_long[-1].text
    review = await tom.press("👪 I am a relative")
    assert "Relative" in review[-1].text
    await tom.press("✏️ Change something")
    await tom.press("🏠 Workplace")
    review = await tom.send("Dagcenter Lyset")
    assert "Dagcenter Lyset" in review[-1].text
    done = await tom.press("✅ Yes, that is right")
    assert "You are registered as a support person" in done[-1].text

    await tom.send("/citizens")
    await tom.press("➕ Add a person")
    refused = await tom.send("Ahmed <3")
    assert "just a first name" in refused[-1].text
    await tom.send("Ahmed")
    await tom.press("✅ Yes, Ahmed agreed")
    await tom.send("/citizens")
    await tom.press("➕ Add a person")
    twice = await tom.send("ahmed")
    assert "already book for someone called ahmed" in twice[-1].text
    again = await tom.send("Ahmed B.")
    assert "Has Ahmed B. agreed?" in again[-1].text
    empty = await tom.send("/book")
    assert "no upcoming activities with places for citizens" in empty[-1].text
    menu = await tom.send("/help")
    assert "/book" in menu[-1].text and "/citizens" in menu[-1].text


async def test_declining_keeps_nothing_and_a_volunteer_cannot_book(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, seats="2")
    pia = local_api.user("Pia", language_code="da")
    await pia.send("/start")
    await pia.press("🤝 Jeg er støtteperson")
    await pia.send("Pia Lund")
    declined = await pia.press("Nej tak")
    assert "ikke gemt dit navn" in declined[-1].text
    stored = next(p for p in await _rows(application, Person) if p.telegram_id == pia.id)
    assert stored.name is None and stored.role == Role.LEAD
    refused = await pia.send("/book")
    assert "Det er kun registrerede støttepersoner, der kan booke" in refused[-1].text
    assert "vælg »Jeg er støtteperson«" in refused[-1].text
    refused = await pia.send("/citizens")
    assert refused[-1].text.startswith("Det er kun for registrerede støttepersoner.")

    mette = local_api.user("Mette", language_code="da")
    await sign_up_volunteer(mette)
    (activity,) = await _rows(application, Activity)
    await mette.press_data(f"bk:do:{activity.id}:{activity.version}:1")
    assert "kun registrerede støttepersoner" in mette.alerts[-1]["text"]
    assert not await _rows(application, Booking)


async def test_the_last_place_goes_to_one_support_person(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Café på Brandts", seats="1")
    lars = local_api.user("Lars", language_code="da")
    karin = local_api.user("Karin", language_code="da")
    await register_support_person(lars, citizens=("Anna",))
    await register_support_person(karin, workplace="Bofællesskabet Ågården", citizens=("Bo",))

    await lars.send("/book")
    await karin.send("/book")
    await lars.press("📅 Book: Café på Brandts")
    await karin.press("📅 Book: Café på Brandts")
    await lars.press("Anna")
    await karin.press("Bo")
    assert karin.alerts[-1]["text"] == "Desværre blev den sidste plads til borgere lige taget."
    again = await karin.send("/book")
    assert "Fuldt booket" in again[-1].text
    assert again[-1].buttons() == []

    # Another support person's citizen cannot be booked by forging the button.
    (activity,) = await _rows(application, Activity)
    anna = next(c for c in await _rows(application, Citizen) if c.first_name == "Anna")
    await lars.send("/bookings")
    await lars.press("❌ Anna:")
    cancelled = await lars.press("❌ Ja, aflys pladsen for Anna")
    assert "pladsen er ledig" in cancelled[-1].text
    await karin.press_data(f"bk:do:{activity.id}:{activity.version}:{anna.id}")
    assert karin.alerts[-1]["text"] == "Den person er ikke længere på din liste."
    await karin.send("/book")
    await karin.press("📅 Book: Café på Brandts")
    booked = await karin.press("Bo")
    assert "Bo er tilmeldt Café på Brandts" in booked[-1].text
    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 1
    assert [b.citizen_id for b in await _rows(application, Booking)] != [anna.id]


async def test_support_person_sees_and_erases_their_data(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Brætspil", seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna", "Bo"))
    await book(lars, "Brætspil", "Anna", "Bo")

    await lars.send("/citizens")
    await lars.press("🗑 Fjern Bo")
    removed = await lars.press("🗑 Ja, fjern Bo")
    assert "Bo er fjernet" in removed[-1].text
    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 1

    export = await lars.send("/mydata")
    data = json.loads(await lars.download(export[-1]))
    assert data["person"]["organisation"] == "Bostedet Skovbo"
    (anna,) = data["citizens_you_book_for"]
    assert anna["first_name"] == "Anna"
    assert anna["bookings"][0]["activity"] == "Brætspil"

    asked = await lars.send("/delete")
    assert "dem, du booker for, med alle deres tilmeldinger" in asked[-1].text
    await lars.press("🗑 Ja, slet mine data")
    assert not await _rows(application, Citizen)
    assert not await _rows(application, Booking)
    (activity,) = await _rows(application, Activity)
    assert activity.citizens_booked == 0
    withdrawn = [e for e in await _rows(application, ConsentEvent) if e.action == "withdrawn"]
    assert {e.purpose for e in withdrawn} == {"support_person_contact", "citizen_bookings"}


async def test_a_restart_keeps_the_step_but_never_an_unconfirmed_name(start_bot, local_api) -> None:
    first = await start_bot()
    lars = local_api.user("Lars", language_code="da")
    await lars.send(f"/start {await support_invitation(lars)}")
    await lars.press("👉 Kom i gang")
    await lars.send("Lars Holm")
    await lars.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await stop(first)

    second = await start_bot()
    asked = await lars.send("20 12 34 58")
    assert "Hvor arbejder du" in asked[-1].text
    await lars.send("Bostedet Skovbo")
    await lars.press("✅ Ja, det er rigtigt")
    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    await lars.send("Anna")
    await stop(second)

    third = await start_bot()
    again = await lars.press("✅ Ja, Anna har sagt ja")
    assert "mistede navnet" in again[-1].text
    assert not await _rows(third, Citizen)
    await lars.send("Anna")
    await lars.press("✅ Ja, Anna har sagt ja")
    (anna,) = await _rows(third, Citizen)
    assert anna.first_name == "Anna"


async def test_support_persons_hear_of_reminders_changes_and_cancellations(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    # One volunteer is enough: a walk below its minimum is not reminded of (test_minimum.py).
    await plan_activity(
        hanne, title="Gåtur i Munke Mose", when="24/12 14:00", seats="3", minimum="1"
    )
    mette = local_api.user("Mette", language_code="da")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("Meld mig til: Gåtur i Munke Mose")
    tom = local_api.user("Tom", language_code="da")
    await register_support_person(tom, citizens=("Anna", "Bo"))
    await book(tom, "Gåtur i Munke Mose", "Anna", "Bo")

    # At a fixed start, so the reminder is due whatever the time of day the test runs.
    move_clock_to_hours_before(clock, hours=24)
    assert await remind(runtime_of(application)) == 2
    await sender_of(application).deliver_due()
    reminder = await tom.next_message()
    assert "Påmindelse: Anna og Bo er tilmeldt Gåtur i Munke Mose" in reminder.text
    assert "Frivillige, der kommer: Mette." in reminder.text

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("✏️ Ret")
    await hanne.press("Sted")
    await hanne.send("Fruens Bøge, Odense")
    await hanne.press("✅ Færdig")
    changed = await tom.next_message()
    assert "har ændret Gåtur i Munke Mose, som Anna og Bo er tilmeldt" in changed.text
    assert "📍 Nyt sted: Fruens Bøge, Odense (før: Munke Mose, Odense)" in changed.text

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("❌ Aflys aktiviteten")
    await hanne.send("Regnvejr")
    done = await hanne.press("❌ Ja, aflys og giv 2 besked")
    assert "2 personer har fået besked" in done[-1].text
    cancelled = await tom.next_message()
    assert "Gåtur i Munke Mose" in cancelled.text and "er aflyst. Anna og Bo var tilmeldt" in (
        cancelled.text
    )
    assert "Begrundelse: Regnvejr" in cancelled.text
    mine = await tom.send("/bookings")
    assert "aflyst af koordinatorerne" in mine[-1].text


async def test_a_coordinator_cannot_take_away_places_already_booked(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Brætspil", seats="3")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=("Anna", "Bo"))
    await book(lars, "Brætspil", "Anna", "Bo")

    await hanne.send("/activities")
    await hanne.press("⚙️ Brætspil")
    await hanne.press("✏️ Ret")
    await hanne.press("Pladser til borgere")
    refused = await hanne.send("1")
    assert "Der er allerede 2 borgere tilmeldt" in refused[-1].text
    await hanne.send("2")
    (activity,) = await _rows(application, Activity)
    assert (activity.citizen_seats, activity.citizens_booked) == (2, 2)


async def test_many_bookings_come_a_page_at_a_time(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Sommerfest", seats="20")
    names = tuple(f"Borger {letter}" for letter in "ABCDEFGHIJKLMNOPQ")
    lars = local_api.user("Lars", language_code="da")
    await register_support_person(lars, citizens=names)
    await book(lars, "Sommerfest", *names)

    [mine] = await lars.send("/bookings")

    assert "Borger E: Sommerfest" in mine.text and "Borger F" not in mine.text
    assert mine.buttons()[-1] == ["1 / 4", "Næste ▶️"]
    [last] = await lars.press("Næste ▶️")
    [last] = await lars.press("Næste ▶️")
    [last] = await lars.press("Næste ▶️")
    assert "Borger P: Sommerfest" in last.text and "Borger Q: Sommerfest" in last.text
    assert last.buttons()[-1] == ["◀️ Forrige", "4 / 4"]
    assert len(last.buttons()) == 3  # Borger P and Q, and the way back


async def test_a_long_list_of_who_comes_goes_on_in_further_messages(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Sommerfest", seats="100")
    for first_name in ("Lars", "Karin", "Peter"):
        await register_support_person(local_api.user(first_name, language_code="da"))
    runtime = runtime_of(application)
    now = runtime.clock.now()
    (activity,) = await _rows(application, Activity)
    supporters = [p for p in await _rows(application, Person) if p.role == Role.SUPPORT]
    shown = consent.CITIZEN.shown(runtime.texts, "da", name="x")
    names = [f"Borger{number:03d}" for number in range(90)]
    # Arranged directly: ninety more conversations would show nothing new.
    for number, name in enumerate(names):
        supporter = supporters[number % 3].id
        async with runtime.sessions.begin() as session:
            citizen = await citizens.add(session, supporter, name, text=shown, now=now)
        await bookings.book(
            runtime.sessions, activity.id, citizen.id, support_person_id=supporter, now=now
        )

    await hanne.send("/activities")
    await hanne.press("⚙️ Sommerfest")
    shown_lists = await hanne.press("👥 Hvem kommer")

    parts = [message for message in shown_lists if "Borger" in (message.text or "")]
    assert len(parts) >= 2 and all(len(part.text) <= 4096 for part in parts)
    listed = "\n".join(part.text for part in parts)
    assert all(name in listed for name in names)
    assert parts[-1].buttons() == [["« Tilbage"]]


async def test_a_workplace_typed_after_a_kill_counts_as_the_workplace(start_bot, local_api) -> None:
    first = await start_bot()
    lars = local_api.user("Lars", language_code="da")
    await lars.send("/start")
    await lars.press("🤝 Jeg er støtteperson")
    await lars.send("Lars Holm")
    await lars.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await lars.share_contact("+4520123458")
    await stop(first)
    async with runtime_of(first).engine.begin() as connection:  # the step was never written
        await connection.execute(
            text("UPDATE conversation_states SET state = :step WHERE user_id = :id"),
            {"step": '"phone"', "id": lars.id},
        )

    second = await start_bot()
    review = await lars.send("Bostedet Skovbo")

    assert "Se dine oplysninger igennem" in review[-1].text
    stored = next(p for p in await _rows(second, Person) if p.telegram_id == lars.id)
    assert (stored.phone, stored.organisation) == ("+4520123458", "Bostedet Skovbo")
