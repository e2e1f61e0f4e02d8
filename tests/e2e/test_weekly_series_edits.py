"""A coordinator changes or cancels one date of a weekly series: the bot asks whether it is for
that date only or for the following dates too, and each date's people hear what changed for
their date. A single activity is changed at once, without the question. The changes to several
dates run on both databases."""

from __future__ import annotations

from bot.app import stop
from tests.e2e.journeys import (
    book,
    plan_activity,
    register_support_person,
    sign_up_volunteer,
)
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Kaffe på Plejecenter Ærtebjerg"
PLACE = "Plejecenter Ærtebjerg, Odense"
ASKED = "er en ugentlig serie"


async def plan_series(
    coordinator,
    *,
    when: str = "24/12 14:00",
    weeks: str = "3",
    seats: str = "4",
    minimum: str = "1",
    maximum: str = "3",
) -> None:
    """A Danish-speaking coordinator publishes a weekly coffee afternoon: 24/12, 31/12, 7/1."""
    await coordinator.send("/new_activity")
    await coordinator.send(TITLE)
    await coordinator.press("Spring over")
    await coordinator.press("Gåture")
    await coordinator.send(PLACE)
    await coordinator.press("Spring over")
    await coordinator.send(when)
    await coordinator.press("2 t")
    await coordinator.send(seats)
    await coordinator.send(minimum)
    await coordinator.send(maximum)
    await coordinator.press("Færdig ✔️")
    await coordinator.press("🔁 Hver uge")
    await coordinator.send(weeks)
    await coordinator.press("✅ Offentliggør")


async def open_date(coordinator, day: str, action: str = "✏️ Ret"):
    """The coordinator opens the date `day` (24/12) of the series from /activities."""
    await coordinator.send("/activities")
    await coordinator.press(f"⚙️ {day}")
    return await coordinator.press(action)


async def join(volunteer, day: str, button: str = "✋ Meld mig til") -> None:
    await volunteer.send("/activities")
    await volunteer.press(f"{button}: {day}")


async def each_date(stored: Stored, column: str) -> list[object]:
    """One column of each date of the series, soonest first."""
    days = await stored.value("SELECT COUNT(*) FROM activities WHERE title = :t", t=TITLE)
    return [
        await stored.value(
            f"SELECT {column} FROM activities WHERE title = :t"
            " ORDER BY starts_at LIMIT 1 OFFSET :n",
            t=TITLE,
            n=n,
        )
        for n in range(days)
    ]


async def places(stored: Stored) -> list[object]:
    return await each_date(stored, "place")


async def statuses(stored: Stored) -> list[object]:
    return await each_date(stored, "status")


async def notices_to(user) -> list[str]:
    """Every change notice in the chat so far, once the outbox has sent what it owes."""
    return [m.text for m in user.messages if m.text and "har ændret" in m.text]


async def wait_for(user, words: str) -> str:
    told = await user.next_message()
    while words not in told.text:
        told = await user.next_message()
    return told.text


async def test_a_new_place_for_this_and_the_following_dates_reaches_each_dates_people(
    start_bot, local_api, database_url
) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,), database_url=database_url))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    ali, mette, ida = local_api.user("Ali"), local_api.user("Mette"), local_api.user("Ida")
    for volunteer, day in ((ali, "24/12"), (mette, "31/12"), (ida, "07/01")):
        await sign_up_volunteer(volunteer)
        await join(volunteer, day)

    asked = await open_date(hanne, "31/12")
    assert ASKED in asked[-1].text and "07/01" not in asked[-1].text
    assert "7/1" in asked[-1].text  # the dates still to come after this one
    assert await places(stored) == [PLACE] * 3  # nothing changes before the answer
    await hanne.press("Denne og de følgende datoer")
    await hanne.press("Sted")
    saved = await hanne.send("Fruens Bøge, Odense")
    assert any("Gemt for denne dato og de følgende (2 datoer i alt)" in m.text for m in saved)
    await hanne.press("✅ Færdig")

    assert await places(stored) == [PLACE, "Fruens Bøge, Odense", "Fruens Bøge, Odense"]
    for volunteer, day in ((mette, "31. december"), (ida, "7. januar")):
        told = await wait_for(volunteer, "har ændret")
        assert "📍 Nyt sted: Fruens Bøge, Odense (før: Plejecenter Ærtebjerg, Odense)" in told
        assert day in told  # which date of the series it is about
    await stored.deliver_everything_owed()
    assert await notices_to(ali) == []
    assert len(await notices_to(mette)) == 1 and len(await notices_to(ida)) == 1


async def test_only_this_date_leaves_the_other_dates_as_they_were(start_bot, local_api) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await join(mette, "31/12")

    await open_date(hanne, "24/12")
    again = await hanne.send("Fruens Bøge, Odense")  # typed before answering: asked again
    assert ASKED in again[-1].text and await places(stored) == [PLACE] * 3
    await hanne.press("Kun denne dato")
    await hanne.press("Sted")
    saved = await hanne.send("Fruens Bøge, Odense")
    assert not any("Gemt for denne dato og de følgende" in m.text for m in saved)
    await hanne.press("✅ Færdig")

    assert await places(stored) == ["Fruens Bøge, Odense", PLACE, PLACE]
    await stored.deliver_everything_owed()
    assert await notices_to(mette) == []


async def test_a_new_time_of_day_keeps_each_dates_own_day(start_bot, local_api) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    ida = local_api.user("Ida")
    await sign_up_volunteer(ida)
    await join(ida, "07/01")

    await open_date(hanne, "24/12")
    await hanne.press("Denne og de følgende datoer")
    await hanne.press("Dato og tid")
    await hanne.send("24/12 16:00")
    await hanne.press("✅ Færdig")

    told = await wait_for(ida, "har ændret")
    assert "🗓 Nyt tidspunkt:" in told and "7. januar kl. 16:00" in told and "14:00" in told
    [listing] = await ida.send("/activities")
    for day in ("24. december kl. 16:00", "31. december kl. 16:00", "7. januar kl. 16:00"):
        assert day in listing.text
    starts = await stored.value(
        "SELECT COUNT(DISTINCT starts_at) FROM activities WHERE title = :t", t=TITLE
    )
    assert starts == 3


async def test_a_single_activity_is_changed_without_the_question(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    shown = await hanne.press("✏️ Ret")
    assert ASKED not in shown[-1].text and "Ret aktiviteten" in shown[-1].text


async def test_a_change_that_does_not_fit_a_later_date_leaves_it_and_says_why(
    start_bot, local_api, database_url
) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,), database_url=database_url))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne, seats="4", maximum="1")
    lars = local_api.user("Lars")
    await register_support_person(lars, citizens=("Anna", "Bo", "Carl"))
    await book(lars, "07/01", "Anna", "Bo", "Carl")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    for volunteer in (mette, ida):
        await sign_up_volunteer(volunteer)
    await join(mette, "31/12")
    await join(ida, "31/12", "⏳ Venteliste")

    await open_date(hanne, "24/12")
    await hanne.press("Denne og de følgende datoer")
    await hanne.press("Pladser til borgere")
    saved = await hanne.send("2")
    said = "\n".join(m.text for m in saved)
    assert "Gemt for denne dato og de følgende (2 datoer i alt)" in said
    assert "Disse datoer er ikke ændret" in said
    assert "7. januar" in said and "der er allerede 3 borgere tilmeldt" in said
    assert await each_date(stored, "citizen_seats") == [2, 2, 4]

    # Raising the maximum on every date moves the waiting list up, date by date.
    await hanne.press("Højst antal frivillige")
    await hanne.send("2")
    await hanne.press("✅ Færdig")
    await wait_for(ida, "plads fri")
    [mine] = await ida.send("/my_activities")
    assert "✅ Du skal med" in mine.text


async def test_cancelling_this_and_the_following_dates_tells_each_dates_people(
    start_bot, local_api, database_url
) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,), database_url=database_url))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    ali, mette, ida = local_api.user("Ali"), local_api.user("Mette"), local_api.user("Ida")
    for volunteer, day in ((ali, "24/12"), (mette, "31/12"), (ida, "07/01")):
        await sign_up_volunteer(volunteer)
        await join(volunteer, day)

    asked = await open_date(hanne, "31/12", "❌ Aflys aktiviteten")
    assert "Vil du kun aflyse denne dato" in asked[-1].text
    reason = await hanne.press("Denne og de følgende datoer")
    assert "på 2 datoer (31/12, 7/1)" in reason[-1].text
    check = await hanne.send("Plejecentret holder lukket")
    assert "på alle 2 datoer" in check[-1].text
    done = await hanne.press("❌ Ja, aflys og giv 2 besked")
    assert "er aflyst på 2 datoer, og 2 personer har fået besked" in done[-1].text

    assert await statuses(stored) == ["published", "cancelled", "cancelled"]
    for volunteer in (mette, ida):
        told = await wait_for(volunteer, "er aflyst")
        assert "Plejecentret holder lukket" in told
    await stored.deliver_everything_owed()
    assert not any("aflyst" in (m.text or "") for m in ali.messages)


async def test_a_forged_or_stale_series_press_changes_nothing(start_bot, local_api) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    ole = local_api.user("Ole")
    await sign_up_volunteer(ole)
    first = await stored.value(
        "SELECT id FROM activities WHERE title = :t ORDER BY starts_at LIMIT 1", t=TITLE
    )

    async def rows() -> object:
        return await stored.every_row(
            leave_out_tables=("conversation_states",), leave_out_columns=("last_seen_at",)
        )

    before = await rows()
    await ole.send("/activities")
    for forged in (f"plans:edit:{first}:1", f"plans:cancel:{first}:1"):
        await ole.press_data(forged)
        assert ole.alerts[-1]["text"] == "Det er kun koordinatorer, der kan gøre det."
    assert await rows() == before

    # A question left unanswered while the date is cancelled: its press is stale.
    asked = await open_date(hanne, "24/12")
    await open_date(hanne, "24/12", "❌ Aflys aktiviteten")
    await hanne.press("Kun denne dato")
    await hanne.send("Plejecentret holder lukket")
    await hanne.press("❌ Ja, aflys")
    after_cancel = await rows()
    await hanne.press("Denne og de følgende datoer", in_message=asked[-1])
    assert "aflyst eller findes ikke længere" in hanne.alerts[-1]["text"]
    assert await rows() == after_cancel
    assert await places(stored) == [PLACE] * 3
    assert await statuses(stored) == ["cancelled", "published", "published"]


async def test_an_english_speaking_coordinator_is_asked_in_english(start_bot, local_api) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    await hanne.send("/language")
    await hanne.press("🇬🇧 English")

    asked = await open_date(hanne, "24/12", "✏️ Change")
    assert "is a weekly series" in asked[-1].text
    assert "Should the change apply to this date only" in asked[-1].text
    await hanne.press("This and the following dates")
    await hanne.press("Place")
    saved = await hanne.send("Fruens Bøge, Odense")
    said = "\n".join(m.text for m in saved)
    assert "Saved for this date and the following ones (3 dates in all)" in said
    assert await places(stored) == ["Fruens Bøge, Odense"] * 3


async def test_restarts_keep_the_question_and_the_answer(start_bot, local_api) -> None:
    first = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_series(hanne)
    await open_date(hanne, "24/12")
    await stop(first)

    second = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    await hanne.press("Denne og de følgende datoer")
    await stop(second)

    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    await hanne.press("Sted")
    saved = await hanne.send("Fruens Bøge, Odense")
    assert any("Gemt for denne dato og de følgende (3 datoer i alt)" in m.text for m in saved)
    assert await places(stored) == ["Fruens Bøge, Odense"] * 3
