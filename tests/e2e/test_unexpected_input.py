"""Bad input of every kind gets a short, kind answer and changes nothing it should not."""

from __future__ import annotations

from tests.e2e.journeys import sign_up_volunteer


async def reach_phone_step(user) -> None:
    await user.send("/start")
    await user.press("🙋 Bliv frivillig")
    await user.send("Mikkel Holm")
    await user.press("✅ Jeg giver samtykke og er 15 år eller ældre")


async def test_impossible_phone_numbers_are_refused_kindly(bot, local_api, stored) -> None:
    mikkel = local_api.user("Mikkel")
    await reach_phone_step(mikkel)

    for typed in ("12345", "ring til mig", "+45 1234", "9" * 60):
        [reply] = await mikkel.send(typed)
        assert "Det ligner ikke et telefonnummer" in reply.text
    [reply] = await mikkel.share_contact("+4599887766", own=False)
    assert "en andens kontaktkort" in reply.text

    assert (await stored.person(mikkel.id)).phone is None
    accepted = await mikkel.send("20 12 34 56")
    assert "Vi har gemt +45 20 12 34 56" in accepted[0].text


async def test_a_sticker_or_photo_where_text_is_expected_changes_nothing(
    bot, local_api, stored
) -> None:
    amina = local_api.user("Amina")
    await amina.send("/start")
    await amina.press("🙋 Bliv frivillig")

    [reply] = await amina.send_sticker()
    assert "Skriv dit navn som en almindelig besked" in reply.text
    [reply] = await amina.send_photo()
    assert "Skriv dit navn som en almindelig besked" in reply.text

    assert (await stored.person(amina.id)).name is None
    consent = await amina.send("Amina")
    assert "Hyggeligt at møde dig, Amina!" in consent[0].text


async def test_text_where_buttons_are_expected_repeats_the_question(bot, local_api) -> None:
    amina = local_api.user("Amina")
    await reach_phone_step(amina)
    await amina.send("20 12 34 56")
    await amina.press("Spring over – ingen e-mail")

    replies = await amina.send("gåture og musik")

    assert "Brug knapperne under beskeden" in replies[0].text
    assert "Hvad kan du lide?" in replies[-1].text
    assert ["Gåture", "Café og hygge"] in replies[-1].buttons()


async def test_names_that_are_not_names_are_refused(bot, local_api) -> None:
    ole = local_api.user("Ole")
    await ole.send("/start")
    await ole.press("🙋 Bliv frivillig")

    [too_long] = await ole.send("Ole " * 40)
    [not_a_name] = await ole.send("<script>alert(1)</script>")
    [digits] = await ole.send("1234")

    assert "højst 80 tegn" in too_long.text
    assert "Det ligner ikke et navn" in not_a_name.text
    assert "Det ligner ikke et navn" in digits.text


async def test_an_edited_message_does_not_change_an_answer(bot, local_api, stored) -> None:
    mikkel = local_api.user("Mikkel")
    await reach_phone_step(mikkel)
    await mikkel.send("20 12 34 56")
    typed = next(m for m in reversed(mikkel.messages) if not m.from_bot)

    [reply] = await mikkel.edit(typed, "30 12 34 56")

    assert "Rettelser ændrer ikke dine svar" in reply.text
    assert (await stored.person(mikkel.id)).phone == "+4520123456"


async def test_unknown_commands_long_texts_and_media_outside_a_conversation(bot, local_api) -> None:
    visitor = local_api.user("Visitor", language_code="en")
    await visitor.send("/start")

    [unknown] = await visitor.send("/fly_to_the_moon")
    [long_text] = await visitor.send("Hello! " * 600)
    [greeting] = await visitor.send("hello?")
    [plain] = await visitor.send("purple elephants")
    [sticker] = await visitor.send_sticker()
    [nothing] = await visitor.send("/cancel")

    assert "I do not know that command" in unknown.text
    assert "That is a long message" in long_text.text
    assert "Welcome to Sammen" in greeting.text and greeting.buttons() == [
        ["🙋 Become a volunteer"],
        ["🤝 I am a support person"],
    ]
    assert "I did not understand that" in plain.text
    assert "I can only read text and button presses" in sticker.text
    assert "There is nothing to stop" in nothing.text


async def test_stale_and_forged_buttons_change_nothing(bot, local_api, stored) -> None:
    mikkel = local_api.user("Mikkel")
    await mikkel.send("/start")
    welcome = mikkel.last_bot_message()
    await mikkel.press("🙋 Bliv frivillig")
    await mikkel.send("Mikkel Holm")
    await mikkel.press("Nej tak")

    # The consent buttons are gone; a forged press of "I agree" is refused, not obeyed.
    await mikkel.press_data("su:consent:yes", in_message=welcome)
    await mikkel.press_data("su:int:99999", in_message=welcome)
    await mikkel.press_data("act:join:1; DROP TABLE people", in_message=welcome)

    assert [alert["text"] for alert in mikkel.alerts[-3:]] == [
        "Den knap virker ikke længere. Skriv /help for at se, hvad du kan nu."
    ] * 3
    lead = await stored.person(mikkel.id)
    assert (lead.role, lead.consent_version, lead.name) == ("lead", None, None)


async def test_a_retired_interest_pressed_from_an_old_keyboard_is_explained(
    bot, local_api, stored
) -> None:
    mikkel = local_api.user("Mikkel")
    await reach_phone_step(mikkel)
    await mikkel.send("20 12 34 56")
    await mikkel.press("Spring over – ingen e-mail")

    await mikkel.press_data("su:int:99999")

    assert "ikke længere på listen" in mikkel.alerts[-1]["text"]
    assert (await stored.person(mikkel.id)).interest_ids == ()


async def test_ordinary_words_get_an_answer_that_fits_the_person(bot, local_api) -> None:
    karen = local_api.user("Karen", language_code="da")
    [hello] = await karen.send("Hej!")
    assert "Velkommen til Sammen" in hello.text
    wants = await karen.send("Jeg vil gerne være frivillig")
    assert "🙋 Bliv frivillig" in wants[-1].buttons()[0]
    await sign_up_volunteer(karen)

    [again] = await karen.send("jeg vil gerne være frivillig")
    assert "Du er allerede frivillig" in again.text
    [whats_on] = await karen.send("Hvilke aktiviteter er der?")
    assert "/activities" in whats_on.text
    [thanks] = await karen.send("Tusind tak")
    assert "Selv tak" in thanks.text
    [data] = await karen.send("slet mine data")
    assert "/delete" in data.text and data.buttons() == []  # a pointer, never an erasure
    [lost] = await karen.send("Hvad kan du?")
    assert "Du er frivillig i Sammen" in lost.text and "/my_activities" in lost.text


async def test_in_a_group_chat_commands_get_a_pointer_and_nothing_is_kept(bot, local_api, stored):
    group = local_api.group("Frivillige i Odense")
    ole = local_api.user("Ole", language_code="en")

    [pointer] = await ole.send_in(group, "/start")
    chatter = await ole.send_in(group, "hej allesammen, ses vi i morgen?")

    assert pointer.chat_id == group
    assert "I only talk in private chats" in pointer.text
    assert chatter == []  # ordinary talk in the group is left alone
    assert await stored.person(ole.id) is None  # nothing about group members is stored
