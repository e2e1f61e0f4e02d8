"""Roles come from the database; language follows the person; consent is renewed."""

from __future__ import annotations

from sqlalchemy import update

from bot.app import runtime_of, stop
from storage.models import Person
from tests.e2e.stored import Stored

COORDINATOR_ID = 555000111


async def test_a_coordinator_is_welcomed_the_first_time_and_welcomed_back_after(
    start_bot, local_api
) -> None:
    first_bot = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)

    [first] = await hanne.send("/start")
    [again] = await hanne.send("/start")
    await stop(first_bot)
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    [after_restart] = await hanne.send("/start")

    assert "tilbage" not in first.text
    assert first.text.startswith("Velkommen til Sammen!")
    assert "Du er koordinator" in first.text and "/new_activity" in first.text
    assert again.text.startswith("Velkommen tilbage, koordinator.")
    assert after_restart.text.startswith("Velkommen tilbage, koordinator.")


async def test_coordinators_see_figures_per_campaign_and_others_do_not(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    for campaign in ("facebook", "facebook", "plakat"):
        await local_api.user("Lead").send(f"/start {campaign}")
    volunteer = local_api.user("Ib")
    await volunteer.send("/start plakat")
    await volunteer.press("🙋 Bliv frivillig")
    await volunteer.send("Ib Madsen")
    await volunteer.press("✅ Jeg giver samtykke og er 15 år eller ældre")

    [welcome] = await hanne.send("/start")
    [figures] = await hanne.send("/stats")
    [refused] = await volunteer.send("/stats")

    assert "Velkommen til Sammen!" in welcome.text and "Du er koordinator" in welcome.text
    assert "facebook: 2 · 0 · 0" in figures.text
    assert "plakat: 1 · 1 · 0" in figures.text
    assert "I alt: 3 · 1 · 0" in figures.text
    assert "kun koordinatorer" in refused.text
    menu = [entry["command"] for entry in local_api.commands[(f"chat:{COORDINATOR_ID}", "")]]
    assert "stats" in menu
    assert (await Stored(application).person(COORDINATOR_ID)).is_coordinator


async def test_a_forged_coordinator_button_or_command_gets_nothing(bot, local_api) -> None:
    mallory = local_api.user("Mallory", language_code="en")
    await mallory.send("/start")

    [refused] = await mallory.send("/stats")

    assert "Only coordinators" in refused.text


async def test_language_can_be_switched_whatever_telegram_says(bot, local_api, stored) -> None:
    mette = local_api.user("Mette", language_code="da")
    await mette.send("/start")

    asked = await mette.send("/language")
    assert asked[-1].buttons() == [["🇩🇰 Dansk", "🇬🇧 English"]]
    switched = await mette.press("🇬🇧 English")
    [help_text] = await mette.send("/help")

    assert "I will speak English from now on" in switched[-1].text
    assert "/mydata – See everything stored about me" in help_text.text
    assert (await stored.person(mette.id)).language == "en"


async def test_volunteers_who_agreed_to_an_older_text_are_asked_again(
    bot, local_api, stored
) -> None:
    jens = local_api.user("Jens", last_name="Berg")
    await jens.send("/start")
    await jens.press("🙋 Bliv frivillig")
    await jens.press("Brug »Jens Berg«")
    await jens.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    async with runtime_of(bot).sessions.begin() as session:
        await session.execute(
            update(Person).where(Person.telegram_id == jens.id).values(consent_version=0)
        )

    asked = await jens.send("20 12 34 56")
    assert "Vi har ændret, hvordan vi beskriver" in asked[0].text
    assert asked[-1].buttons() == [["✅ Jeg giver samtykke"], ["Nej – slet mine data"]]
    assert (await stored.person(jens.id)).phone is None

    thanks = await jens.press("✅ Jeg giver samtykke")
    assert "Send din sidste besked" in thanks[-1].text
    accepted = await jens.send("20 12 34 56")
    assert "Vi har gemt +45 20 12 34 56" in accepted[0].text
    history = await stored.consent_history(jens.id)
    assert [row.action for row in history] == ["granted", "granted"]
    assert (await stored.person(jens.id)).consent_version == 1


async def test_declining_a_renewed_consent_erases_the_data(bot, local_api, stored) -> None:
    jens = local_api.user("Jens", last_name="Berg")
    await jens.send("/start")
    await jens.press("🙋 Bliv frivillig")
    await jens.press("Brug »Jens Berg«")
    await jens.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    async with runtime_of(bot).sessions.begin() as session:
        await session.execute(
            update(Person).where(Person.telegram_id == jens.id).values(consent_version=0)
        )
    await jens.send("hej")

    erased = await jens.press("Nej – slet mine data")

    assert "Dine data er slettet" in erased[-1].text
    assert await stored.person(jens.id) is None
    assert [row.action for row in await stored.consent_history(jens.id)] == [
        "granted",
        "withdrawn",
    ]


async def test_switching_language_half_way_asks_the_pending_question_again(
    bot, local_api, stored
) -> None:
    mikkel = local_api.user("Mikkel", language_code="da")
    await mikkel.send("/start")
    await mikkel.press("🙋 Bliv frivillig")
    await mikkel.send("Mikkel Holm")
    await mikkel.press("✅ Jeg giver samtykke og er 15 år eller ældre")

    await mikkel.send("/language")
    replies = await mikkel.press("🇬🇧 English")

    assert "English" in replies[0].text
    assert "phone number" in replies[-1].text.lower()
    saved = await mikkel.send("20 12 34 56")
    assert "+45 20 12 34 56" in saved[0].text
    assert (await stored.person(mikkel.id)).language == "en"
