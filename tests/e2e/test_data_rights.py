"""Every person can see and erase their data; erased means gone from the database file,
and the logs never carried it."""

from __future__ import annotations

import json
from pathlib import Path

from bot.logging_setup import set_levels

NAME = "Gudrun Bjerregaard"
PHONE_TYPED = "28 76 54 32"
PHONE_DIGITS = "28765432"


async def sign_up(user) -> None:
    await user.send("/start")
    await user.press("🙋 Bliv frivillig")
    await user.send(NAME)
    await user.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await user.send(PHONE_TYPED)
    await user.send("gudrun.bjerregaard@example.dk")
    await user.press("Natur og udeliv")
    await user.press("Færdig ✔️")
    await user.press("Søn")
    await user.press("Formiddag")
    await user.press("Færdig ✔️")
    await user.press("✅ Ja, tilmeld mig")


def database_bytes(sqlite_url: str) -> bytes:
    path = Path(sqlite_url.split(":///", 1)[1])
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


async def test_mydata_sends_everything_stored_as_a_json_file(bot, local_api) -> None:
    gudrun = local_api.user("Gudrun", language_code="da")
    await sign_up(gudrun)

    [document] = await gudrun.send("/mydata")

    assert document.document["file_name"] == "sammen-mine-data.json"
    export = json.loads(await gudrun.download(document))
    assert export["person"]["name"] == NAME
    assert export["person"]["phone"] == "+45" + PHONE_DIGITS
    assert export["person"]["email"] == "gudrun.bjerregaard@example.dk"
    assert export["person"]["interests"] == ["Natur og udeliv"]
    assert export["person"]["available_weekdays"] == [6]
    assert [row["action"] for row in export["consent_history"]] == ["granted"]


async def test_a_lead_can_see_the_little_we_keep(bot, local_api) -> None:
    visitor = local_api.user("Kim", language_code="en")
    await visitor.send("/start tiktok")

    [document] = await visitor.send("/mydata")

    export = json.loads(await visitor.download(document))
    assert export["person"]["role"] == "lead"
    assert export["person"]["campaign"] == "tiktok"
    assert export["person"]["name"] is None
    assert document.document["file_name"] == "sammen-my-data.json"


async def test_delete_erases_name_and_phone_from_the_database_file(
    bot, local_api, stored, sqlite_url
) -> None:
    gudrun = local_api.user("Gudrun", language_code="da")
    await sign_up(gudrun)
    assert NAME.encode() in database_bytes(sqlite_url)

    asked = await gudrun.send("/delete")
    assert "trækker dit samtykke tilbage" in asked[-1].text
    done = await gudrun.press("🗑 Ja, slet mine data")

    assert "Dine data er slettet" in done[-1].text
    assert done[-1].buttons() == []
    assert await stored.person(gudrun.id) is None
    history = await stored.consent_history(gudrun.id)
    assert [row.action for row in history] == ["granted", "withdrawn"]
    content = database_bytes(sqlite_url)
    for secret in (NAME, "Bjerregaard", PHONE_DIGITS, "gudrun.bjerregaard"):
        assert secret.encode() not in content, f"{secret!r} is still in the database file"
    assert (f"chat:{gudrun.id}", "") not in local_api.commands


async def test_keeping_the_data_changes_nothing(bot, local_api, stored) -> None:
    gudrun = local_api.user("Gudrun", language_code="da")
    await sign_up(gudrun)
    await gudrun.send("/delete")

    kept = await gudrun.press("Nej, behold dem")

    assert "Der blev ikke slettet noget" in kept[-1].text
    assert (await stored.person(gudrun.id)).name == NAME


async def test_after_erasure_old_buttons_and_answers_change_nothing(bot, local_api, stored) -> None:
    gudrun = local_api.user("Gudrun", language_code="da")
    await gudrun.send("/start")
    await gudrun.press("🙋 Bliv frivillig")
    await gudrun.send(NAME)
    await gudrun.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await gudrun.send("/delete")
    await gudrun.press("🗑 Ja, slet mine data")

    reply = await gudrun.send(PHONE_TYPED)

    assert "starte forfra" in reply[-1].text
    person = await stored.person(gudrun.id)
    assert person is None or (person.role == "lead" and person.phone is None)


async def test_logs_carry_no_names_phone_numbers_or_texts(bot, local_api, caplog) -> None:
    # The most talkative setting an operator can choose.
    set_levels("DEBUG")
    gudrun = local_api.user("Gudrun", language_code="da")

    await sign_up(gudrun)
    await gudrun.send("/mydata")
    await gudrun.send("/delete")
    await gudrun.press("🗑 Ja, slet mine data")

    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert caplog.records, "the bot logged nothing at all: the check would prove nothing"
    for secret in ("Gudrun", "Bjerregaard", PHONE_DIGITS, "28 76", "example.dk"):
        assert secret not in logged
