"""Texts people give are what a reader sees: no invisible, reversing or NUL characters.

A right-to-left override in a name turns a coordinator's participant line around (the phone
number reads backwards), a zero-width space makes "Ida" and "Ida\u200b" two citizens, and NUL
breaks PostgreSQL's text columns. Each is refused kindly, and nothing is kept.
"""

from __future__ import annotations

from tests.e2e.journeys import (
    move_clock_to_hours_before,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)

COORDINATOR_ID = 777000001

INVISIBLE_REPLY = "usynlige tegn eller styretegn"


async def test_a_name_with_hidden_characters_is_refused_and_a_plain_one_taken(
    bot, local_api, stored
) -> None:
    mikkel = local_api.user("Mikkel")
    await mikkel.send("/start")
    await mikkel.press("🙋 Bliv frivillig")

    for typed in ("Mik\u202ekel Holm", "Mikkel\u200b Holm", "Mik\x00kel Holm", "\u200b"):
        [reply] = await mikkel.send(typed)
        assert INVISIBLE_REPLY in reply.text

    asked = await mikkel.send("Mikkel Holm")
    assert "samtykke" in asked[-1].text.lower()
    await mikkel.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    assert (await stored.person(mikkel.id)).name == "Mikkel Holm"


async def test_a_name_typed_in_decomposed_letters_is_kept_composed(bot, local_api, stored) -> None:
    soren = local_api.user("Søren")
    await soren.send("/start")
    await soren.press("🙋 Bliv frivillig")
    await soren.send("Søren Ja\u0308ger")  # "ä" as "a" + a combining diaeresis
    await soren.press("✅ Jeg giver samtykke og er 15 år eller ældre")

    assert (await stored.person(soren.id)).name == "Søren J\u00e4ger"


async def test_a_citizen_name_with_a_zero_width_space_is_not_a_second_citizen(
    bot, local_api, stored
) -> None:
    lars = local_api.user("Lars", last_name="Nielsen")
    await register_support_person(lars, citizens=("Ida",))

    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    [reply] = await lars.send("Ida\u200b")

    assert INVISIBLE_REPLY in reply.text
    names = await stored.value("SELECT count(*) FROM citizens")
    assert names == 1


async def test_a_late_leave_reason_with_hidden_characters_is_asked_again(
    start_bot, local_api, clock
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="3")
    mette = local_api.user("Mette", last_name="Hansen")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    move_clock_to_hours_before(clock, hours=10)
    await mette.send("/my_activities")
    await mette.press("Meld fra: Gåtur i Munke Mose")

    [refused] = await mette.send("Syg\u202e 12 34 56 78")
    assert INVISIBLE_REPLY in refused.text
    thanks = await mette.send("Jeg er blevet syg")

    assert "koordinatorerne har fået din besked" in thanks[-1].text
    warned = await hanne.next_message()
    assert "under minimum" in warned.text
    assert "Jeg er blevet syg" in (await hanne.next_message()).text


async def test_an_activity_title_of_only_a_zero_width_space_is_refused(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await hanne.send("/new_activity")

    replies = await hanne.send("\u200b")
    assert INVISIBLE_REPLY in replies[-1].text
    taken = await hanne.send("Gåtur i Munke Mose")
    assert "Beskriv den med et par linjer" in taken[-1].text


async def test_a_citizen_is_kept_by_first_name_only(bot, local_api, stored) -> None:
    lars = local_api.user("Lars", last_name="Nielsen")
    await register_support_person(lars)

    await lars.send("/citizens")
    await lars.press("➕ Tilføj en person")
    [refused] = await lars.send("Peter Jensen")
    assert "Kun fornavnet" in refused.text and "»Peter J.«" in refused.text
    asked = await lars.send("Peter J.")
    assert "Har Peter J. sagt ja?" in asked[-1].text

    await lars.press("✅ Ja, Peter J. har sagt ja")
    assert await stored.value("SELECT first_name FROM citizens") == "Peter J."
