"""Support persons register, add the citizens they support, and book them into activities."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.app import runtime_of
from storage.models import Activity, Booking, Citizen, ConsentEvent, Person, Role
from tests.e2e.journeys import plan_activity, register_support_person, sign_up_volunteer

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
    assert "registreret som støtteperson" in done[-1].text

    await lars.press("➕ Tilføj en person")
    asked = await lars.send("Anna")
    assert "Har Anna sagt ja?" in asked[-1].text
    assert not await _rows(application, Citizen)  # nothing kept before the agreement
    added = await lars.press("✅ Ja, de har sagt ja")
    assert "Anna er tilføjet" in added[-1].text

    listing = await lars.press("📅 Book en aktivitet")
    card = listing[-1].text
    assert "Gåtur i Munke Mose" in card
    assert "Frivillige, der kommer: Mette" in card
    assert "2 af 2 pladser til borgere ledige" in card
    await lars.press("📅 Book: Gåtur i Munke Mose")
    booked = await lars.press("Anna")
    assert "Anna er tilmeldt Gåtur i Munke Mose" in booked[-1].text

    mine = await lars.send("/bookings")
    assert "Anna: Gåtur i Munke Mose" in mine[-1].text

    await hanne.send("/activities")
    await hanne.press("Gåtur i Munke Mose")
    people = await hanne.press("👥 Hvem kommer")
    assert "Anna – via Lars Holm (Bostedet Skovbo), +45 20 12 34 56" in people[-1].text

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
