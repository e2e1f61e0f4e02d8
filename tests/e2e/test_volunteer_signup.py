"""A person becomes a volunteer, in Danish and in English, and what the database keeps."""

from __future__ import annotations

from sqlalchemy import text

from bot.app import runtime_of, stop
from kernel.texts import Texts
from services import consent_texts as consent
from tests.e2e.stored import Stored

AGREE_DA = "✅ Jeg giver samtykke og er 15 år eller ældre"
AGREE_EN = "✅ I agree, and I am 15 or older"


def texts_of(messages) -> str:
    return "\n".join(m.text or "" for m in messages)


async def test_a_new_persons_start_is_answered_and_they_are_kept_as_a_lead(
    bot, local_api, stored
) -> None:
    # Answered before they are stored (nothing about them to write but the visit), and
    # stored before their next message is handled.
    ida = local_api.user("Ida", language_code="en")
    assert await stored.person(ida.id) is None
    welcome = await ida.send("/start")
    assert "Welcome to Sammen" in welcome[-1].text
    lead = await stored.person(ida.id)
    assert lead is not None and lead.role == "lead" and lead.language == "en"
    assert (lead.name, lead.phone, lead.campaign, lead.consent_version) == (None,) * 4
    again = await ida.send("/start")
    assert "Welcome to Sammen" in again[-1].text
    assert (await stored.person(ida.id)).created_at == lead.created_at


async def test_volunteer_signs_up_in_danish_from_a_campaign_link(bot, local_api, stored) -> None:
    mette = local_api.user("Mette", last_name="Hansen", language_code="da")

    welcome = await mette.send("/start facebook_odense")
    assert "Velkommen til Sammen" in welcome[-1].text
    assert welcome[-1].buttons() == [["🙋 Bliv frivillig"], ["🤝 Jeg er støtteperson"]]

    asked = await mette.press("🙋 Bliv frivillig")
    assert "Hvad hedder du?" in asked[-1].text
    consent_text = await mette.press("Brug »Mette Hansen«")
    assert "hvad vi gemmer, og hvorfor" in consent_text[-1].text
    assert "24 måneder uden aktivitet" in consent_text[-1].text

    phone_question = await mette.press(AGREE_DA)
    assert "Hvad er dit telefonnummer?" in phone_question[-1].text
    assert phone_question[-1].reply_keyboard["keyboard"][0][0]["request_contact"] is True

    email_question = await mette.share_contact("4520123456")
    assert "Vi har gemt +45 20 12 34 56" in texts_of(email_question)
    await mette.press("Spring over – ingen e-mail")
    await mette.press("Gåture")
    marked = await mette.press("Musik og koncerter")
    assert ["✅ Gåture", "Café og hygge"] in marked[-1].buttons()
    await mette.press("Færdig ✔️")
    await mette.press("Tor")
    await mette.press("Lør")
    await mette.press("Aften")
    summary = await mette.press("Færdig ✔️")

    card = summary[-1].text
    for expected in ("Mette Hansen", "+45 20 12 34 56", "Gåture, Musik og koncerter", "Tor, Lør"):
        assert expected in card
    done = await mette.press("✅ Ja, tilmeld mig")
    assert "Nu er du frivillig i Sammen" in done[-1].text

    person = await stored.person(mette.id)
    assert person.is_active_volunteer
    assert (person.name, person.phone, person.email) == ("Mette Hansen", "+4520123456", None)
    assert person.campaign == "facebook_odense"
    assert (person.available_days, person.available_parts) == ((3, 5), ("evening",))
    assert len(person.interest_ids) == 2
    [granted] = await stored.consent_history(mette.id)
    shown = consent.render(Texts.load(), "da", retention_months=24)
    assert (granted.action, granted.text_version, granted.language) == ("granted", 1, "da")
    assert granted.text_sha256 == consent.sha256(shown)
    assert granted.age_confirmed
    menu = [entry["command"] for entry in local_api.commands[(f"chat:{mette.id}", "")]]
    assert "profile" in menu
    assert await stored.conversation_steps(mette.id) == []


async def test_volunteer_signs_up_in_english_typing_and_changes_a_detail(
    bot, local_api, stored
) -> None:
    ali = local_api.user("Ali", language_code="en-GB")

    welcome = await ali.send("/start")
    assert "Welcome to Sammen" in welcome[-1].text
    await ali.press("🙋 Become a volunteer")
    consent_text = await ali.send("Ali Hassan")
    assert "Nice to meet you, Ali Hassan!" in texts_of(consent_text)
    await ali.press(AGREE_EN)
    email_question = await ali.send("+45 31 23 45 67")
    assert "We saved +45 31 23 45 67" in texts_of(email_question)
    await ali.send("ali@example.dk")
    await ali.press("Cinema and films")
    await ali.press("Done ✔️")
    await ali.press("Mon")
    await ali.press("Morning")
    await ali.press("Done ✔️")

    await ali.press("✏️ Change something")
    asked = await ali.press("E-mail")
    assert "e-mail address" in asked[-1].text
    back_to_summary = await ali.send("ali.hassan@example.dk")
    assert "ali.hassan@example.dk" in back_to_summary[-1].text
    assert "Is everything right?" in back_to_summary[-1].text
    done = await ali.press("✅ Yes, sign me up")
    assert "You are now a Sammen volunteer" in done[-1].text

    person = await stored.person(ali.id)
    assert person.is_active_volunteer
    assert (person.phone, person.email) == ("+4531234567", "ali.hassan@example.dk")
    [granted] = await stored.consent_history(ali.id)
    assert granted.language == "en"


async def test_the_name_is_not_stored_before_consent(bot, local_api, stored) -> None:
    søren = local_api.user("Søren")
    await søren.send("/start")
    await søren.press("🙋 Bliv frivillig")
    await søren.send("Søren Kierkegaard")

    lead = await stored.person(søren.id)
    assert lead.role == "lead"
    assert (lead.name, lead.phone, lead.consent_version) == (None, None, None)
    assert await stored.consent_history(søren.id) == []


async def test_declining_consent_keeps_only_what_a_lead_needs(bot, local_api, stored) -> None:
    ida = local_api.user("Ida", language_code="da")
    await ida.send("/start biblioteket")
    await ida.press("🙋 Bliv frivillig")
    await ida.send("Ida Nielsen")

    reply = await ida.press("Nej tak")

    assert "Vi har ikke gemt dit navn" in reply[-1].text
    lead = await stored.person(ida.id)
    assert (lead.role, lead.campaign, lead.name, lead.phone) == ("lead", "biblioteket", None, None)
    assert await stored.consent_history(ida.id) == []
    assert await stored.conversation_steps(ida.id) == []


async def test_someone_under_15_is_pointed_to_a_coordinator_and_forgotten(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_contact="frivillig@odense.dk, tlf. 66 13 13 72")
    stored = Stored(application)
    emil = local_api.user("Emil", language_code="da")
    await emil.send("/start")
    await emil.press("🙋 Bliv frivillig")
    await emil.send("Emil")

    reply = await emil.press("Jeg er under 15 år")

    assert "15 år eller ældre" in reply[-1].text
    assert "frivillig@odense.dk" in reply[-1].text
    assert await stored.person(emil.id) is None


async def test_cancel_half_way_keeps_the_answers_and_start_continues(
    bot, local_api, stored
) -> None:
    jens = local_api.user("Jens", last_name="Jensen")
    await jens.send("/start")
    await jens.press("🙋 Bliv frivillig")
    await jens.press("Brug »Jens Jensen«")
    await jens.press(AGREE_DA)

    stopped = await jens.send("/cancel")
    assert "vi stopper her" in stopped[-1].text
    assert stopped[-1].reply_keyboard == {"remove_keyboard": True}
    ignored = await jens.send("20 12 34 56")
    assert "Din tilmelding er ikke færdig endnu" in ignored[-1].text
    assert (await stored.person(jens.id)).phone is None

    welcome_back = await jens.send("/start")
    assert "næsten færdig" in welcome_back[-1].text
    asked = await jens.press("▶️ Fortsæt min tilmelding")
    assert "Hvad er dit telefonnummer?" in asked[-1].text
    await jens.send("20 12 34 56")
    assert (await stored.person(jens.id)).phone == "+4520123456"


async def test_a_graceful_restart_continues_at_the_same_question(
    start_bot, local_api, sqlite_url
) -> None:
    first = await start_bot()
    fatima = local_api.user("Fatima", last_name="Ahmed")
    await fatima.send("/start")
    await fatima.press("🙋 Bliv frivillig")
    await fatima.press("Brug »Fatima Ahmed«")
    await fatima.press(AGREE_DA)
    await fatima.share_contact("4522334455")
    await stop(first)

    second = await start_bot()
    reply = await fatima.send("fatima@example.dk")

    assert "vi har gemt fatima@example.dk" in reply[0].text.lower()
    assert "Hvad kan du lide?" in reply[-1].text
    person = await Stored(second).person(fatima.id)
    assert (person.phone, person.email) == ("+4522334455", "fatima@example.dk")


async def test_a_kill_before_the_step_was_written_still_takes_the_consent(
    start_bot, local_api
) -> None:
    """The consent text went out, then the process died before the new step was written:
    the stored step is still the name question. Agreeing must work all the same."""
    first = await start_bot()
    ali = local_api.user("Ali", language_code="en")
    await ali.send("/start")
    await ali.press("🙋 Become a volunteer")
    await ali.send("Ali Hassan")
    await stop(first)
    async with runtime_of(first).engine.begin() as connection:
        await connection.execute(
            text("UPDATE conversation_states SET state = :step WHERE user_id = :id"),
            {"step": '"name"', "id": ali.id},
        )

    await start_bot()
    replies = await ali.press("✅ I agree, and I am 15 or older")

    said = [reply.text for reply in replies]
    assert "Thank you! Your consent is recorded." in said
    assert "What is your name?" in said[-1]


async def test_an_answer_to_the_question_shown_counts_even_if_the_step_was_not_written(
    start_bot, local_api
) -> None:
    """The e-mail question went out, then the process died before the step was written: the
    stored step is still the phone question. The e-mail typed next is taken as an e-mail."""
    first = await start_bot()
    ali = local_api.user("Ali", language_code="en")
    await ali.send("/start")
    await ali.press("🙋 Become a volunteer")
    await ali.send("Ali Hassan")
    await ali.press("✅ I agree, and I am 15 or older")
    await ali.share_contact("+4520123457")
    await stop(first)
    async with runtime_of(first).engine.begin() as connection:
        await connection.execute(
            text("UPDATE conversation_states SET state = :step WHERE user_id = :id"),
            {"step": '"phone"', "id": ali.id},
        )

    second = await start_bot()
    replies = await ali.send("ali@example.dk")

    assert "ali@example.dk" in replies[0].text
    assert "What do you enjoy?" in replies[-1].text
    person = await Stored(second).person(ali.id)
    assert (person.phone, person.email) == ("+4520123457", "ali@example.dk")
