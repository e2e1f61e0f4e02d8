"""Erased means gone from the database files, for every way Sammen erases: /delete, removing a
citizen, and the retention job forgetting the inactive and the leads; on SQLite (the file and
its write-ahead log) and on PostgreSQL (the database's table and index files; its write-ahead
log in pg_wal keeps the bytes until the server recycles it, as the README says).

Someone else reading for a long time holds the wipe up: the bot then answers at once, says
what is done and what is not yet, and the wipe job finishes the work once the read is over.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.app import runtime_of
from storage.models import Person
from tests.e2e.disk import a_lock_held, a_long_read, still_stored
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Brætspil på biblioteket"
WORKPLACE = "Bofællesskabet Lærkereden"
CAMPAIGN = "vinterkampagne_fyn"
EMAIL = "mette.kragelund@example.dk"
WIPES_OWED = "SELECT count(*) FROM wipes_owed"


async def a_support_person(local_api, citizens: tuple[str, ...]):
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars, workplace=WORKPLACE, citizens=citizens)
    return lars


async def phone_digits(stored: Stored, user) -> str:
    return (await stored.person(user.id)).phone.removeprefix("+45")


async def a_volunteer_who_typed_everything(local_api):
    """Mette types her name, phone number and e-mail: each answer is an update of her row."""
    mette = local_api.user("Mette", last_name="Kragelund", language_code="da")
    await mette.send("/start")
    await mette.press("🙋 Bliv frivillig")
    await mette.send("Mette Kragelund")
    await mette.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await mette.send("+45 20 61 73 95")
    await mette.send(EMAIL)
    await mette.press("Gåture")
    await mette.press("Færdig ✔️")
    await mette.press("Man")
    await mette.press("Formiddag")
    await mette.press("Færdig ✔️")
    await mette.press("✅ Ja, tilmeld mig")
    return mette


async def run_job(application, name: str) -> None:
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


async def test_a_volunteers_delete_leaves_no_bytes_of_what_they_typed(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    mette = await a_volunteer_who_typed_everything(local_api)
    secrets = ["Kragelund", "20617395", EMAIL]
    assert await still_stored(database_url, secrets) == secrets  # the scan finds what is there

    await mette.send("/delete")
    done = await mette.press("🗑 Ja, slet mine data")

    assert "Dine data er slettet. Tak" in done[-1].text
    assert await stored.person(mette.id) is None
    assert await still_stored(database_url, secrets) == []
    assert await stored.value(WIPES_OWED) == 0


async def test_a_support_persons_delete_leaves_no_bytes_of_them_or_their_citizens(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url, coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = await a_support_person(local_api, citizens=("Gunnhild", "Thorvald"))
    await book(lars, TITLE, "Gunnhild", "Thorvald")
    secrets = ["Vestergaard", WORKPLACE, "Gunnhild", "Thorvald", await phone_digits(stored, lars)]
    assert await still_stored(database_url, secrets) == secrets

    await lars.send("/delete")
    done = await lars.press("🗑 Ja, slet mine data")

    assert "Dine data er slettet. Tak" in done[-1].text
    assert await stored.person(lars.id) is None
    assert await stored.value("SELECT count(*) FROM citizens") == 0
    assert await still_stored(database_url, secrets) == []


async def test_removing_a_citizen_leaves_no_bytes_of_their_name(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url, coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = await a_support_person(local_api, citizens=("Gunnhild", "Thorvald"))
    await book(lars, TITLE, "Gunnhild")
    assert await still_stored(database_url, ["Gunnhild"]) == ["Gunnhild"]

    await lars.send("/citizens")
    await lars.press("🗑 Fjern Gunnhild")
    removed = await lars.press("🗑 Ja, fjern Gunnhild")

    assert removed[-1].text == "🗑 Gunnhild er fjernet, og tilmeldingerne er aflyst."
    assert await stored.value("SELECT count(*) FROM bookings") == 0
    assert await still_stored(database_url, ["Gunnhild"]) == []
    assert await still_stored(database_url, ["Thorvald"]) == ["Thorvald"]  # the other one stays


async def test_the_retention_job_leaves_no_bytes_of_the_inactive_or_of_leads(
    start_bot, local_api, database_url, clock
) -> None:
    application = await start_bot(database_url=database_url, coordinator_ids=(COORDINATOR_ID,))
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
    assert await still_stored(database_url, secrets) == secrets

    clock.advance(timedelta(days=24 * 30 + 1))  # VOLUNTEER_RETENTION_MONTHS, 30-day months
    await run_job(application, "retention")

    for person in (mette, lars, kim):
        assert await stored.person(person.id) is None
    withdrawn = "SELECT count(*) FROM consent_events WHERE actor = 'retention'"
    assert await stored.value(withdrawn) == 3  # Mette's, Lars's own and Gunnhild's
    assert await still_stored(database_url, secrets) == []


async def test_someone_under_15_is_wiped_from_the_files_by_the_wipe_job(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    emil = local_api.user("Emil", language_code="da")
    await emil.send(f"/start {CAMPAIGN}")
    await emil.press("🙋 Bliv frivillig")
    await emil.send("Emil Dahl")
    assert await still_stored(database_url, [CAMPAIGN]) == [CAMPAIGN]

    await emil.press("Jeg er under 15 år")
    await run_job(application, "wipe")

    assert await stored.person(emil.id) is None
    assert await still_stored(database_url, [CAMPAIGN]) == []


async def test_a_delete_during_a_long_read_says_what_is_left_and_the_wipe_job_finishes_it(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    mette = await a_volunteer_who_typed_everything(local_api)
    secrets = ["Kragelund", "20617395", EMAIL]

    async with a_long_read(database_url):
        await mette.send("/delete")
        done = await mette.press("🗑 Ja, slet mine data")

        assert done[-1].text == (
            "Dine data er slettet i Sammen. De sidste spor i databasens filer bliver "
            "overskrevet automatisk, som regel inden for 5 minutter. Tak, fordi du var med i "
            "Sammen. Hvis du skriver til mig igen, starter du som en ny person."
        )
        assert await stored.person(mette.id) is None
        await run_job(application, "wipe")  # still held up: it tries, and keeps the note
        assert await stored.value(WIPES_OWED) == 1
        assert await still_stored(database_url, secrets) == secrets

    await run_job(application, "wipe")

    assert await still_stored(database_url, secrets) == []
    assert await stored.value(WIPES_OWED) == 0


async def test_declining_a_renewed_consent_during_a_long_read_says_what_is_left(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    jens = local_api.user("Jens", last_name="Berg")
    await jens.send("/start")
    await jens.press("🙋 Bliv frivillig")
    await jens.press("Brug »Jens Berg«")
    await jens.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    async with runtime_of(application).sessions.begin() as session:
        await session.execute(
            update(Person).where(Person.telegram_id == jens.id).values(consent_version=0)
        )
    await jens.send("hej")
    assert await still_stored(database_url, ["Berg"]) == ["Berg"]

    async with a_long_read(database_url):
        erased = await jens.press("Nej – slet mine data")

    assert erased[-1].text == (
        "Dine data er slettet i Sammen, og dit samtykke er trukket tilbage. De sidste spor i "
        "databasens filer bliver overskrevet automatisk, som regel inden for 5 minutter. Tak, "
        "fordi du var med i Sammen."
    )
    assert await stored.person(jens.id) is None
    await run_job(application, "wipe")
    assert await still_stored(database_url, ["Berg"]) == []


async def test_removing_a_citizen_during_a_long_read_says_what_is_left(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    lars = await a_support_person(local_api, citizens=("Gunnhild",))

    async with a_long_read(database_url):
        await lars.send("/citizens")
        await lars.press("🗑 Fjern Gunnhild")
        removed = await lars.press("🗑 Ja, fjern Gunnhild")

    assert removed[-1].text == (
        "🗑 Gunnhild er fjernet, og tilmeldingerne er aflyst. De sidste spor i databasens filer "
        "bliver overskrevet automatisk, som regel inden for 5 minutter."
    )
    await run_job(application, "wipe")
    assert await stored.value(WIPES_OWED) == 0
    assert await still_stored(database_url, ["Gunnhild"]) == []


async def test_a_delete_while_postgresql_tables_are_locked_waits_only_a_moment(
    start_bot, local_api, postgres_url
) -> None:
    application = await start_bot(database_url=postgres_url)
    stored = Stored(application)
    mette = await a_volunteer_who_typed_everything(local_api)

    async with a_lock_held(postgres_url, "outbox_messages"):
        await mette.send("/delete")
        done = await mette.press("🗑 Ja, slet mine data")
        assert "Dine data er slettet i Sammen. De sidste spor" in done[-1].text

    await run_job(application, "wipe")
    assert await still_stored(postgres_url, ["Kragelund", "20617395", EMAIL]) == []
    assert await stored.value(WIPES_OWED) == 0


async def test_the_bots_own_connections_run_with_secure_delete(bot) -> None:
    stored = Stored(bot)

    assert await stored.value("PRAGMA secure_delete") == 1
    assert await stored.value("PRAGMA foreign_keys") == 1
