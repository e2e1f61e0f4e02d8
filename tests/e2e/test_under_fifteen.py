"""Someone under 15 cannot consent themselves: they hear whom to ask, with or without a
configured coordinator contact, and nothing about them is kept."""

from __future__ import annotations

import pytest

from tests.e2e.stored import Stored


async def say_i_am_under_15(user, *, become: str, name: str, under_15: str) -> str:
    await user.send("/start")
    await user.press(become)
    await user.send(name)
    replies = await user.press(under_15)
    return replies[-1].text


@pytest.mark.parametrize(
    ("language", "become", "under_15", "points_to"),
    [
        ("da", "🙋 Bliv frivillig", "Jeg er under 15 år", "frivilligkoordinatoren i din kommune"),
        ("en", "🙋 Become a volunteer", "I am under 15", "coordinator"),
    ],
)
async def test_without_a_coordinator_contact_the_under_15_text_has_no_gap(
    start_bot, local_api, language, become, under_15, points_to
) -> None:
    application = await start_bot(coordinator_contact="")
    emil = local_api.user("Emil", language_code=language)

    told = await say_i_am_under_15(emil, become=become, name="Emil Dahl", under_15=under_15)

    assert points_to in told
    for gap in ("{", "}", ": .", ":  ", "None", "  "):
        assert gap not in told, f"{gap!r} in {told!r}"
    assert await Stored(application).person(emil.id) is None


async def test_with_a_coordinator_contact_the_under_15_text_names_it(start_bot, local_api) -> None:
    application = await start_bot(coordinator_contact="Hanne, 20 30 40 50")
    emil = local_api.user("Emil", language_code="da")

    told = await say_i_am_under_15(
        emil, become="🙋 Bliv frivillig", name="Emil Dahl", under_15="Jeg er under 15 år"
    )

    assert "vores frivilligkoordinator: Hanne, 20 30 40 50." in told
    assert await Stored(application).person(emil.id) is None


async def test_an_older_consent_message_cannot_undo_a_newer_agreement(
    bot, local_api, stored
) -> None:
    sara = local_api.user("Sara", last_name="Holm")
    await sara.send("/start")
    await sara.press("🙋 Bliv frivillig")
    *_, asked = await sara.send("Sara Holm")
    await sara.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await sara.send("20 12 34 56")

    for stale in ("su:consent:young", "su:consent:no"):
        # Telegram lets a client press a button of a message whose buttons are gone.
        replies = await sara.press_data(stale, in_message=asked)
        assert "allerede sagt ja" in replies[0].text
        assert "ikke gemt noget" not in " ".join(reply.text for reply in replies)

    kept = await stored.person(sara.id)
    assert kept is not None and kept.name == "Sara Holm" and kept.phone == "+4520123456"


async def test_an_older_no_thanks_cannot_undo_a_support_persons_agreement(
    bot, local_api, stored
) -> None:
    lars = local_api.user("Lars", last_name="Nielsen")
    await lars.send("/start")
    await lars.press("🤝 Jeg er støtteperson")
    *_, asked = await lars.send("Lars Nielsen")
    await lars.press("✅ Jeg siger ja, og jeg er fyldt 18")

    replies = await lars.press_data("sp:consent:no", in_message=asked)

    # Registration has moved on: the old button is answered as one that no longer works.
    assert replies == []
    assert "Den knap virker ikke længere" in lars.alerts[-1]["text"]
    kept = await stored.person(lars.id)
    assert kept is not None and kept.name == "Lars Nielsen" and kept.is_support_person
