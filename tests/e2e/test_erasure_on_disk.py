"""Erased means gone from the database files, for every way Sammen erases: a support person's
/delete, removing a citizen, and the retention job forgetting the inactive and the leads. The
bot's own connections run SQLite with secure_delete."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.disk import still_on_disk
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Brætspil på biblioteket"
WORKPLACE = "Bofællesskabet Lærkereden"
CAMPAIGN = "vinterkampagne_fyn"


async def a_support_person(local_api, citizens: tuple[str, ...]):
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars, workplace=WORKPLACE, citizens=citizens)
    return lars


async def phone_digits(stored: Stored, user) -> str:
    return (await stored.person(user.id)).phone.removeprefix("+45")


async def test_a_support_persons_delete_leaves_no_bytes_of_them_or_their_citizens(
    start_bot, local_api, sqlite_url
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = await a_support_person(local_api, citizens=("Gunnhild", "Thorvald"))
    await book(lars, TITLE, "Gunnhild", "Thorvald")
    secrets = ["Vestergaard", WORKPLACE, "Gunnhild", "Thorvald", await phone_digits(stored, lars)]
    assert still_on_disk(sqlite_url, secrets) == secrets  # the scan finds what is there

    await lars.send("/delete")
    done = await lars.press("🗑 Ja, slet mine data")

    assert "Dine data er slettet" in done[-1].text
    assert await stored.person(lars.id) is None
    assert await stored.value("SELECT count(*) FROM citizens") == 0
    assert still_on_disk(sqlite_url, secrets) == []


async def test_removing_a_citizen_leaves_no_bytes_of_their_name(
    start_bot, local_api, sqlite_url
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = await a_support_person(local_api, citizens=("Gunnhild", "Thorvald"))
    await book(lars, TITLE, "Gunnhild")
    assert still_on_disk(sqlite_url, ["Gunnhild"]) == ["Gunnhild"]

    await lars.send("/citizens")
    await lars.press("🗑 Fjern Gunnhild")
    removed = await lars.press("🗑 Ja, fjern Gunnhild")

    assert "Gunnhild er fjernet" in removed[-1].text
    assert await stored.value("SELECT count(*) FROM bookings") == 0
    assert still_on_disk(sqlite_url, ["Gunnhild"]) == []
    assert still_on_disk(sqlite_url, ["Thorvald"]) == ["Thorvald"]  # the other one stays


async def test_the_retention_job_leaves_no_bytes_of_the_inactive_or_of_leads(
    start_bot, local_api, sqlite_url, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3", when="i overmorgen 10:00")
    mette = local_api.user("Mette", last_name="Kragelund", language_code="da")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")
    lars = await a_support_person(local_api, citizens=("Gunnhild",))
    await book(lars, TITLE, "Gunnhild")
    kim = local_api.user("Kim", language_code="da")
    await kim.send(f"/start {CAMPAIGN}")
    secrets = [
        "Kragelund",
        await phone_digits(stored, mette),
        "Vestergaard",
        WORKPLACE,
        "Gunnhild",
        await phone_digits(stored, lars),
        CAMPAIGN,
    ]
    assert still_on_disk(sqlite_url, secrets) == secrets

    clock.advance(timedelta(days=24 * 30 + 1))  # VOLUNTEER_RETENTION_MONTHS, 30-day months
    [job] = application.job_queue.get_jobs_by_name("retention")
    await job.run(application)

    for person in (mette, lars, kim):
        assert await stored.person(person.id) is None
    withdrawn = "SELECT count(*) FROM consent_events WHERE actor = 'retention'"
    assert await stored.value(withdrawn) == 3  # Mette's, Lars's own and Gunnhild's
    assert still_on_disk(sqlite_url, secrets) == []


async def test_the_bots_own_connections_run_with_secure_delete(bot) -> None:
    stored = Stored(bot)

    assert await stored.value("PRAGMA secure_delete") == 1
    assert await stored.value("PRAGMA foreign_keys") == 1
