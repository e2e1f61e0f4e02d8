"""Coordinators plan group activities; volunteers join them together and see who else comes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import icalendar
from sqlalchemy import select

from bot.app import runtime_of
from storage.models import Activity, Participation
from tests.e2e.journeys import move_clock_to_hours_before, plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001


async def test_a_coordinator_plans_an_activity_step_by_step(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)

    intro = await hanne.send("/new_activity")
    assert "Hvad hedder aktiviteten?" in intro[-1].text
    await hanne.send("Brætspil på biblioteket")
    category = await hanne.send("Vi spiller Ludo og Uno. Der er kaffe og kage.")
    assert ["Gåture", "Café og hygge"] in category[-1].buttons()
    await hanne.press("Brætspil og spil")
    await hanne.send("Odense Hovedbibliotek, Østre Stationsvej 15")
    await hanne.send_location(55.4012, 10.3856)
    refused = await hanne.send("31/2 14:00")
    assert "Den dato findes ikke" in refused[-1].text
    assert "<i>24/12 14:00</i>" in refused[-1].html  # the example is formatted, not escaped
    past = await hanne.send("1/1/2020 14:00")
    assert "allerede gået" in past[-1].text
    await hanne.send("torsdag 14:00")
    await hanne.send("90 min")
    bad_number = await hanne.send("mange")
    assert "et helt tal" in bad_number[-1].text
    await hanne.press("6")
    await hanne.send("2")
    too_few = await hanne.send("1")
    assert "under minimum på 2" in too_few[-1].text
    await hanne.press("4")
    await hanne.press("Handicaptoilet")
    await hanne.press("Stille rum")
    await hanne.press("Færdig ✔️")
    preview = await hanne.press("Kun én gang")

    card = preview[-1].text
    for expected in (
        "Brætspil på biblioteket",
        "torsdag",
        "kl. 14:00–15:30",
        "Østre Stationsvej",
        "Brætspil og spil",
        "Frivillige: 0 af 4 – under minimum på 2",
        "0 af 6 pladser",
        "Handicaptoilet · Stille rum",
        "Én gang",
    ):
        assert expected in card, expected
    assert "⚠️" in card  # no volunteers yet: below the minimum, flagged
    published = await hanne.press("✅ Offentliggør")
    assert "er offentliggjort (1 i alt)" in published[-1].text

    async with runtime_of(application).sessions() as session:
        activity = (await session.execute(select(Activity))).scalar_one()
    assert activity.status == "published"
    assert (activity.latitude, activity.longitude) == (55.4012, 10.3856)
    assert activity.starts_at.tzinfo is not None
    local = activity.starts_at.astimezone(application.bot_data.runtime.settings.zone)
    assert (local.weekday(), local.hour, local.minute) == (3, 14, 0)
    assert activity.created_by == activity.updated_by is not None


async def test_volunteers_join_together_and_see_who_else_is_going(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")
    mette = local_api.user("Mette", last_name="Hansen", language_code="da")
    ali = local_api.user("Ali", last_name="Hassan", language_code="da")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ali)

    [listing] = await mette.send("/activities")
    assert "Gåtur i Munke Mose" in listing.text
    assert "Ingen frivillige endnu" in listing.text
    assert "Passer til dine interesser" in listing.text
    joined = await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    assert "Du er den første frivillige" in joined[-1].text
    assert "du bliver ikke alene" in joined[-1].text

    await ali.send("/language")
    await ali.press("🇬🇧 English")
    [listing] = await ali.send("/activities")
    assert "1 other volunteer is going: Mette" in listing.text
    assert "Hansen" not in listing.text  # first names only
    joined = await ali.press("✋ Join: Gåtur i Munke Mose")
    assert "You will be there with Mette" in joined[-1].text
    assert "✅ You are going" in joined[0].text  # the list redrawn in place
    told = await mette.next_message()
    assert "Ali skal også med til Gåtur i Munke Mose" in told.text

    [admin] = await hanne.send("/activities")
    assert "Frivillige: 2 af 3 (mindst 2)" in admin.text
    assert "⚠️" not in admin.text
    await hanne.press("⚙️ Gåtur i Munke Mose")
    people = await hanne.press("👥 Hvem kommer")
    assert "Mette Hansen" in people[-1].text and "Ali Hassan" in people[-1].text

    async with runtime_of(application).sessions() as session:
        rows = (await session.execute(select(Participation.status))).scalars().all()
    assert rows == ["joined", "joined"]


async def test_a_full_activity_offers_the_waiting_list_and_moves_people_up(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="1")
    assert "Ingen frivillige med passende interesser og tid har fået besked" in (
        hanne.messages[-1].text
    )
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    await sign_up_volunteer(mette)
    await sign_up_volunteer(ida)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    [listing] = await ida.send("/activities")
    assert "1 af 1 frivilligplads taget" in listing.text
    offered = await ida.press("⏳ Venteliste: Gåtur i Munke Mose")
    assert "Du er på ventelisten" in offered[-1].text

    await mette.send("/my_activities")
    left = await mette.press("Meld fra: Gåtur i Munke Mose")
    assert "Du har meldt dig fra" in left[-1].text
    told = await ida.next_message()
    assert "der er blevet en plads fri" in told.text
    [mine] = await ida.send("/my_activities")
    assert "✅ Du skal med" in mine.text


async def _two_going_ten_hours_before(start_bot, local_api, clock):
    """A walk needing 2 volunteers, Mette and Ali going, and the clock 10 hours before it;
    returns the coordinator and Mette."""
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="2", maximum="3")
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    for volunteer in (mette, ali):
        await sign_up_volunteer(volunteer)
        await volunteer.send("/activities")
        await volunteer.press("✋ Meld mig til: Gåtur i Munke Mose")
    move_clock_to_hours_before(clock, hours=10)
    return hanne, mette


async def test_leaving_within_a_day_asks_why_and_warns_the_coordinators(
    start_bot, local_api, clock
) -> None:
    hanne, mette = await _two_going_ten_hours_before(start_bot, local_api, clock)

    await mette.send("/my_activities")
    asked = await mette.press("Meld fra: Gåtur i Munke Mose")
    assert "starter inden for et døgn" in asked[-1].text
    assert not any("i god tid" in reply.text for reply in asked)
    warning = await hanne.next_message()
    assert "under minimum på 2" in warning.text
    thanks = await mette.send("Jeg er desværre blevet syg")
    assert "koordinatorerne har fået din besked" in thanks[-1].text
    reason = await hanne.next_message()
    assert "Jeg er desværre blevet syg" in reason.text


async def test_erasing_oneself_within_a_day_of_an_activity_warns_the_coordinators(
    start_bot, local_api, clock
) -> None:
    hanne, mette = await _two_going_ten_hours_before(start_bot, local_api, clock)

    await mette.send("/delete")
    await mette.press("🗑 Ja, slet mine data")

    warning = await hanne.next_message()
    assert "Gåtur i Munke Mose har nu 1 frivillig, under minimum på 2" in warning.text


async def test_cancelling_tells_everyone_who_joined(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    old_list = mette.last_bot_message()
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("❌ Aflys aktiviteten")
    check = await hanne.send("Det bliver storm")
    assert "Det bliver storm" in check[-1].text
    done = await hanne.press("❌ Ja, aflys og giv 1 besked")
    assert "er aflyst, og 1 person har fået besked" in done[-1].text

    told = await mette.next_message()
    assert "er aflyst" in told.text and "Det bliver storm" in told.text
    await mette.press_data(
        old_list.reply_markup["inline_keyboard"][0][0]["callback_data"], in_message=old_list
    )
    assert "aflyst" in mette.alerts[-1]["text"]


async def test_a_changed_activity_is_shown_again_before_anyone_joins_it(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("✏️ Ret")
    await hanne.press("Sted")
    await hanne.send("Fruens Bøge, Odense")
    await hanne.press("✅ Færdig")

    shown = await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    assert "ændret" in mette.alerts[-1]["text"]
    assert "Fruens Bøge" in shown[-1].text
    joined = await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    assert "Du skal med til" in joined[-1].text


async def test_raising_the_maximum_gives_the_new_places_to_those_waiting(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="1")
    mette, ida, ali = local_api.user("Mette"), local_api.user("Ida"), local_api.user("Ali")
    for volunteer in (mette, ida, ali):
        await sign_up_volunteer(volunteer)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    for waiting in (ida, ali):
        await waiting.send("/activities")
        await waiting.press("⏳ Venteliste: Gåtur i Munke Mose")

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("✏️ Ret")
    await hanne.press("Højst antal frivillige")
    await hanne.send("2")
    await hanne.press("✅ Færdig")

    told = await ida.next_message()
    while "plads fri" not in told.text:
        told = await ida.next_message()
    [mine] = await ida.send("/my_activities")
    assert "✅ Du skal med" in mine.text
    [still_waiting] = await ali.send("/my_activities")
    assert "venteliste" in still_waiting.text.lower() and "✅ Du skal med" not in still_waiting.text


async def test_joining_two_activities_at_the_same_time_is_asked_first(start_bot, local_api) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Gåtur i Munke Mose", when="24/12 14:00")
    await plan_activity(hanne, title="Café på Brandts", when="24/12 15:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    asked = await mette.press("✋ Meld mig til: Café på Brandts")
    assert "allerede med til Gåtur i Munke Mose på samme tid" in asked[-1].text
    assert await stored.participation("Café på Brandts") == {}

    joined = await mette.press("✋ Ja, meld mig til alligevel")
    assert "Du skal med til" in joined[-1].text
    assert await stored.participation("Café på Brandts") == {mette.id: "joined"}


async def test_a_change_of_time_says_the_old_and_the_new_time(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    await hanne.send("/activities")
    await hanne.press("⚙️ Gåtur i Munke Mose")
    await hanne.press("✏️ Ret")
    await hanne.press("Dato og tid")
    await hanne.send("24/12 16:00")
    await hanne.press("✅ Færdig")

    told = await mette.next_message()
    while "har ændret" not in told.text:
        told = await mette.next_message()
    assert "🗓 Nyt tidspunkt:" in told.text
    assert "16:00" in told.text and "(før:" in told.text and "14:00" in told.text


async def test_the_first_to_join_hears_of_company_once_a_day_not_once_a_join(
    start_bot, local_api
) -> None:
    stored = Stored(await start_bot(coordinator_ids=(COORDINATOR_ID,)))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="4")
    mette, ali, ida = local_api.user("Mette"), local_api.user("Ali"), local_api.user("Ida")
    for volunteer in (mette, ali, ida):
        await sign_up_volunteer(volunteer)
        await volunteer.send("/activities")
        await volunteer.press("✋ Meld mig til: Gåtur i Munke Mose")
    await stored.deliver_everything_owed()

    told = [m.text for m in mette.messages if m.text and "skal også med" in m.text]
    assert told == [next(text for text in told if "Ali" in text)]


async def test_my_activities_go_into_a_calendar_file(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")

    await mette.send("/my_activities")
    [document] = await mette.press("📅 Læg alle i min kalender")

    assert document.document["file_name"] == "sammen.ics" or document.document[
        "file_name"
    ].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(await mette.download(document))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Gåtur i Munke Mose"
    start = event.decoded("DTSTART")
    assert (start.utcoffset(), start.month, start.day, start.hour) == (timedelta(0), 12, 24, 13)
    [one] = await mette.press("📅 Kalender")
    assert one.document["file_name"] == "gåtur-i-munke-mose.ics"


async def test_a_place_on_the_waiting_list_offers_no_calendar_entry(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, when="24/12 14:00", minimum="1", maximum="1")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    for volunteer in (mette, ida):
        await sign_up_volunteer(volunteer)
    await mette.send("/activities")
    await mette.press("✋ Meld mig til: Gåtur i Munke Mose")
    await ida.send("/activities")
    await ida.press("⏳ Venteliste: Gåtur i Munke Mose")

    [mine] = await ida.send("/my_activities")

    assert "⏳ Du er på ventelisten" in mine.text or "venteliste" in mine.text.lower()
    assert "📅 Kalender" not in [label for row in mine.buttons() for label in row]


async def test_only_coordinators_plan_and_cancel(bot, local_api) -> None:
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)

    [refused] = await mette.send("/new_activity")
    await mette.press_data("adm:cancel:1")
    await mette.press_data("adm:people:1")
    [interests] = await mette.send("/interests")

    assert "kun koordinatorer" in refused.text
    assert "kun koordinatorer" in interests.text
    assert all("koordinatorer" in alert["text"] for alert in mette.alerts[-2:])


async def test_coordinators_add_rename_and_retire_interests(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)

    await hanne.send("/interests")
    *_, first = await hanne.press("➕ Tilføj en interesse")
    *_, then = await hanne.send("Fiskeri")
    added = await hanne.send("Fishing")
    # Each language of kernel.texts.LANGUAGES in turn, named as it names itself.
    assert (first.text, then.text) == ("Hvad hedder den på 🇩🇰 Dansk?", "Og på 🇬🇧 English?")
    assert "Gemt: Fiskeri" in added[0].text
    await hanne.press("✏️ Fiskeri")
    await hanne.press("✏️ Omdøb")
    await hanne.send("Lystfiskeri")
    renamed = await hanne.send("Angling")
    assert "Gemt: Lystfiskeri" in renamed[0].text
    await hanne.press("✏️ Biograf og film")
    await hanne.press("🗄 Tag ud (skjul for nye valg)")

    newcomer = local_api.user("Bo")
    await newcomer.send("/start")
    await newcomer.press("🙋 Bliv frivillig")
    await newcomer.send("Bo Berg")
    await newcomer.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await newcomer.send("20 11 22 33")
    interests = await newcomer.press("Spring over – ingen e-mail")
    labels = [label for row in interests[-1].buttons() for label in row]
    assert "Lystfiskeri" in labels
    assert "Biograf og film" not in labels


async def test_an_english_speaking_coordinator_plans_a_weekly_series(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    sarah = local_api.user("Sarah", language_code="en", user_id=COORDINATOR_ID)

    await sarah.send("/new_activity")
    await sarah.send("Cooking together")
    await sarah.press("Skip")
    await sarah.press("Cooking")
    await sarah.send("Ungdomshuset, Vindegade 59, Odense")
    await sarah.press("Skip")
    unreadable = await sarah.send("sometime soon")
    assert "could not read that date" in unreadable[-1].text
    await sarah.send("next thursday 5pm")
    await sarah.send("2.5 hours")
    await sarah.send("6")
    await sarah.send("2")
    await sarah.send("4")
    await sarah.press("Done ✔️")
    asked = await sarah.press("🔁 Every week")
    assert "Until when?" in asked[-1].text
    too_many = await sarah.send("99")
    assert "from 2 to 52" in too_many[-1].text
    preview = await sarah.send("4")
    assert "Every week, 4 times" in preview[-1].text
    assert "17:00–19:30" in preview[-1].text
    published = await sarah.press("✅ Publish")

    assert "is published (4 in all)" in published[-1].text
    async with runtime_of(application).sessions() as session:
        series = (
            (await session.execute(select(Activity).order_by(Activity.starts_at))).scalars().all()
        )
    zone = runtime_of(application).settings.zone
    local = [activity.starts_at.astimezone(zone) for activity in series]
    assert len({activity.series_id for activity in series}) == 1
    assert {(moment.weekday(), moment.hour) for moment in local} == {(3, 17)}
    assert [(b - a).days for a, b in itertools.pairwise(local)] == [7, 7, 7]

    volunteer = local_api.user("Tom", language_code="da")
    await sign_up_volunteer(volunteer, interest="Madlavning")
    await volunteer.send("/language")
    await volunteer.press("🇬🇧 English")
    [listing] = await volunteer.send("/activities")
    assert "Upcoming group activities (4 in all, page 2" not in listing.text
    assert "page 1 of 2" in listing.text
    join_data = listing.reply_markup["inline_keyboard"][0][0]["callback_data"]
    # The dates of a series look alike: each button leads with its own day.
    joins = [label for row in listing.buttons() for label in row if label.startswith("✋")]
    assert len(joins) == 3 and len(set(joins)) == 3
    first_day = local[0].strftime("%d/%m")
    assert joins[0] == f"✋ Join: {first_day} Cooking together"
    await volunteer.press(joins[0])
    await volunteer.press_data(join_data, in_message=listing)  # the same button, pressed twice
    assert volunteer.alerts[-1]["text"] == "You are already going to this activity."
    next_page = await volunteer.press("Next ▶️")
    assert "page 2 of 2" in next_page[-1].text


async def test_titles_with_special_characters_read_right_in_text_and_buttons(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Kaffe & kage <hygge>", when="24/12 14:00")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)

    [listing] = await mette.send("/activities")

    assert "Kaffe & kage <hygge>" in listing.text
    assert listing.buttons()[0] == ["✋ Meld mig til: Kaffe & kage <hygge>"]
    [admin] = await hanne.send("/activities")
    assert admin.buttons()[0] == ["⚙️ Kaffe & kage <hygge>"]


async def test_volunteers_who_match_hear_of_a_new_activity_and_join_from_the_notice(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    mette, ali = local_api.user("Mette"), local_api.user("Ali")
    await sign_up_volunteer(mette, interest="Gåture")
    await sign_up_volunteer(ali, interest="Brætspil og spil")
    seen_by_ali = len(ali.messages)

    await plan_activity(hanne, title="Gåtur i Munke Mose")

    assert "1 frivillig med passende interesser og tid har fået besked" in hanne.messages[-1].text
    notice = await mette.next_message()
    assert "Ny fællesaktivitet: Gåtur i Munke Mose" in notice.text
    assert notice.buttons() == [["✋ Meld mig til: Gåtur i Munke Mose"]]
    joined = await mette.press("✋ Meld mig til: Gåtur i Munke Mose", in_message=notice)
    assert "Du skal med til" in joined[-1].text
    async with runtime_of(application).sessions() as session:
        going = await session.scalar(select(Participation.status))
    assert going == "joined"
    assert [m.text for m in ali.messages[seen_by_ali:]] == []  # walks are not Ali's thing
