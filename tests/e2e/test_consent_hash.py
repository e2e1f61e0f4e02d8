"""The consent ledger proves what a person saw: its hash is the hash of the very text the
bot sent to the chat, and that text is the catalogue's consent template."""

from __future__ import annotations

import hashlib

from bot.app import runtime_of
from tests.e2e.journeys import support_invitation
from tests.e2e.stored import Stored

RETENTION_MONTHS = 24


def sha256(text: str) -> str:
    """As bot/consent.py hashes a consent text: SHA-256 of its UTF-8 bytes, as sent (HTML)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def catalogue_hash(application, language: str, key: str, **values: object) -> str:
    return sha256(runtime_of(application).texts.get(language, key, **values))


async def test_a_volunteers_ledger_row_hashes_the_consent_text_they_saw(bot, local_api) -> None:
    stored = Stored(bot)
    gudrun = local_api.user("Gudrun", language_code="da")
    await gudrun.send("/start")
    await gudrun.press("🙋 Bliv frivillig")
    *_, shown = await gudrun.send("Gudrun Bjerregaard")
    assert ["✅ Jeg giver samtykke og er 15 år eller ældre"] in shown.buttons()
    seen = shown.html

    await gudrun.press("✅ Jeg giver samtykke og er 15 år eller ældre")

    assert "hvad vi gemmer" in shown.text
    [granted] = await stored.consent_history(gudrun.id)
    assert (granted.action, granted.purpose, granted.language) == (
        "granted",
        "volunteer_contact",
        "da",
    )
    assert granted.text_sha256 == sha256(seen)
    assert granted.text_sha256 == catalogue_hash(
        bot, "da", "signup.consent.ask", months=RETENTION_MONTHS
    )


async def test_a_support_persons_and_a_citizens_rows_hash_the_texts_shown(bot, local_api) -> None:
    stored = Stored(bot)
    tom = local_api.user("Tom", language_code="en")
    # Invited, so he may add citizens at once (services.invitations).
    await tom.send(f"/start {await support_invitation(tom)}")
    await tom.press("👉 Get started")
    *_, own_text = await tom.send("Tom Berg")
    seen_own = own_text.html
    await tom.press("✅ I agree, and I am 18 or older")
    await tom.send("+45 20 12 34 57")
    await tom.send("Dagcenter Lyset")
    await tom.press("✅ Yes, that is right")
    await tom.send("/citizens")
    await tom.press("➕ Add a person")
    *_, citizen_text = await tom.send("Ahmed")
    seen_citizen = citizen_text.html

    await tom.press("✅ Yes, Ahmed agreed")

    [granted] = await stored.consent_history(tom.id)
    assert granted.purpose == "support_person_contact"
    assert granted.text_sha256 == sha256(seen_own)
    assert granted.text_sha256 == catalogue_hash(
        bot, "en", "support.consent.ask", months=RETENTION_MONTHS
    )
    citizen_row = await stored.value(
        "SELECT text_sha256 FROM consent_events WHERE purpose = 'citizen_bookings'"
    )
    assert "Ahmed" in citizen_text.text
    # The ledger outlives erasure: the citizen's name is not in what it hashes, so no list of
    # first names can be hashed to find it. The rest of the text shown is.
    assert citizen_row != sha256(seen_citizen)
    assert citizen_row == sha256(seen_citizen.replace("Ahmed", "{name}"))
    assert citizen_row == catalogue_hash(bot, "en", "citizens.consent.ask", name="{name}")
