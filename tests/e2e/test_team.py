"""The coordinator team: offering a volunteer the role (accepted and declined), handing over
activities, stepping down (not the last coordinator), removing a support person; the audit
log of each; and command menus that follow the role at once."""

from __future__ import annotations

import asyncio
import json

from kernel import commands
from tests.e2e.forgery import COORDINATOR_BUTTONS, Targets, fill
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

HANNE_ID = 777100001
ALICE_ID = 777100002
TITLE = "Gåtur i Munke Mose"
OLES_TITLE = "Sejltur på Odense Å"
# Every command of the coordinators' menu but /activities, which volunteers have too.
COORDINATOR_COMMANDS = tuple(f"/{name}" for name, _ in commands.COORDINATOR if name != "activities")


async def menu_of(local_api, user, *, has: str | None = None, lacks: str | None = None) -> list:
    """The commands in the user's own chat menu, once it has `has` / lacks `lacks` (the menu
    is published right after the update that changed the role; a moment may pass)."""
    for _ in range(50):
        menu = [c["command"] for c in local_api.commands.get((f"chat:{user.id}", ""), [])]
        if (has is None or has in menu) and (lacks is None or lacks not in menu):
            return menu
        await asyncio.sleep(0.1)
    return menu


async def told(user, words: str) -> str:
    """The bot message to `user` with these words, waiting for the outbox to deliver it."""
    for _ in range(50):
        found = [m.text for m in user.messages if m.from_bot and m.text and words in m.text]
        if found:
            return found[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"{user} was never told {words!r}")


async def offer_role(coordinator, volunteer_name: str, *, danish: bool = True) -> None:
    await coordinator.send("/team")
    if danish:
        await coordinator.press("⬆️ Foreslå en frivillig som koordinator")
    else:
        await coordinator.press("⬆️ Offer a volunteer the coordinator role")
    await coordinator.press(f"⬆️ {volunteer_name}")


async def test_a_volunteer_accepts_takes_over_steps_down_and_is_refused_after(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(HANNE_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)
    assert "team" not in await menu_of(local_api, ole, has="activities")

    await offer_role(hanne, "Ole Bundgaard")
    sent = hanne.last_bot_message()
    question = await told(ole, "foreslår, at du bliver koordinator")
    await ole.press("✅ Ja, gerne")

    assert "Forslaget er sendt" in sent.text
    assert question.startswith("En koordinator foreslår, at du bliver koordinator")
    await told(ole, "Velkommen som koordinator")
    await told(hanne, "Ole Bundgaard har sagt ja til at blive koordinator")
    assert (await stored.person(ole.id)).is_coordinator
    assert {"team", "new_activity", "audit"} <= set(await menu_of(local_api, ole, has="team"))

    # Ole plans an activity, then hands what he is in charge of over to Hanne.
    await plan_activity(ole, title=OLES_TITLE, when="i morgen 14:00")
    await ole.send("/team")
    await ole.press("🔁 Overdrag mine aktiviteter")
    await ole.press("(uden navn)")
    await told(ole, "1 aktivitet er overdraget til")
    given = "Ole Bundgaard har overdraget de aktiviteter, Ole Bundgaard stod for (1 aktivitet)"
    await told(ole, given)
    assert "/activities viser dem" in await told(hanne, given)
    in_charge = "SELECT p.telegram_id FROM activities a JOIN people p ON p.id = a.created_by"
    assert await stored.value(f"{in_charge} WHERE a.title = :t", t=OLES_TITLE) == HANNE_ID

    # Ole offers Mette the role, but steps down before she answers: his offer is gone.
    mette = local_api.user("Mette", last_name="Kragelund", language_code="da")
    await sign_up_volunteer(mette)
    await offer_role(ole, "Mette Kragelund")
    await told(mette, "Ole Bundgaard foreslår, at du bliver koordinator")

    # Ole steps down; Hanne, now the last coordinator, cannot.
    await ole.send("/team")
    await ole.press("🚪 Træd tilbage som koordinator")
    await ole.press("✅ Ja, jeg træder tilbage")
    await told(ole, "Du er ikke længere koordinator")
    ole_now = await stored.person(ole.id)
    assert ole_now.role == "volunteer" and ole_now.is_active_volunteer
    assert "team" not in await menu_of(local_api, ole, lacks="team")
    await hanne.send("/team")
    await hanne.press("🚪 Træd tilbage som koordinator")
    await hanne.press("✅ Ja, jeg træder tilbage")
    assert "sidste koordinator" in hanne.alerts[-1]["text"]
    assert (await stored.person(HANNE_ID)).is_coordinator
    await mette.press("✅ Ja, gerne")
    assert "intet åbent forslag" in mette.alerts[-1]["text"]
    assert (await stored.person(mette.id)).role == "volunteer"

    # The ex-coordinator: every coordinator command and forged button is refused.
    for command in COORDINATOR_COMMANDS:
        [refused] = await ole.send(command)
        assert "kun koordinatorer" in refused.text, command
    published = "SELECT {} FROM activities WHERE status = 'published' AND title = :t"
    targets = Targets(
        activity=await stored.value(published.format("id"), t=TITLE),
        version=await stored.value(published.format("version"), t=TITLE),
        draft=await stored.value(published.format("id"), t=OLES_TITLE),
        interest=await stored.value("SELECT interest_id FROM interest_names WHERE name = 'Gåture'"),
        citizen=0,
        support_person=ole_now.id,
        coordinator=(await stored.person(HANNE_ID)).id,
    )
    leave_out = {
        "leave_out_tables": ("conversation_states",),
        "leave_out_columns": ("last_seen_at",),
    }
    for template in COORDINATOR_BUTTONS:
        before = await stored.every_row(**leave_out)
        await ole.press_data(fill(template, targets))
        after = await stored.every_row(**leave_out)
        changed = sorted(table for table in before if before[table] != after[table])
        assert not changed, f"{template} changed {changed}"

    # The audit log shows each action, newest first.
    [log] = await hanne.send("/audit")
    lines = log.text.split("\n")
    assert "Hvem gjorde hvad" in lines[0]
    for words in (
        "trådte tilbage som koordinator",
        "overdrog aktiviteter til",
        f"oprettede {OLES_TITLE}",
        "sagde ja til at blive koordinator",
        "foreslog som koordinator: Ole Bundgaard",
        f"oprettede {TITLE}",
    ):
        assert any(words in line for line in lines), (words, log.text)
    assert lines.index(next(x for x in lines if "trådte tilbage" in x)) < lines.index(
        next(x for x in lines if "foreslog" in x)
    )

    # /mydata: what each did as a coordinator, and the activities they are in charge of.
    [document] = await hanne.send("/mydata")
    export = json.loads(await hanne.download(document))
    actions = [entry["action"] for entry in export["your_actions_as_coordinator"]]
    assert actions[:2] == ["activity_created", "coordinator_offered"]
    assert actions[-1] == "export_own_data"
    titles = {row["title"] for row in export["activities_you_created"]}
    assert titles == {TITLE, OLES_TITLE}
    [document] = await ole.send("/mydata")
    export = json.loads(await ole.download(document))
    actions = [entry["action"] for entry in export["your_actions_as_coordinator"]]
    assert actions == [
        "coordinator_accepted",
        "activity_created",
        "handed_over",
        "coordinator_offered",
        "stepped_down",
    ]
    assert export["activities_you_created"] == []


async def test_in_english_a_declined_offer_and_a_support_person_removed(
    start_bot, local_api, database_url
) -> None:
    """On both databases: the team's reads and the removal are SQL of their own."""
    application = await start_bot(coordinator_ids=(HANNE_ID, ALICE_ID), database_url=database_url)
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    alice = local_api.user("Alice", language_code="en", user_id=ALICE_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars, citizens=("Ingeborg", "Bo"))
    await book(lars, TITLE, "Ingeborg", "Bo")
    assert "book" in await menu_of(local_api, lars, has="book")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)

    await offer_role(alice, "Ole Bundgaard", danish=False)
    assert "The offer is sent" in alice.last_bot_message().text
    await told(ole, "foreslår, at du bliver koordinator")
    await ole.press("Nej tak")
    await told(ole, "Du er stadig frivillig")
    await told(alice, "Ole Bundgaard has declined to become a coordinator")
    assert (await stored.person(ole.id)).role == "volunteer"
    again = await ole.press_data("teamo:1")
    assert "intet åbent forslag" in ole.alerts[-1]["text"] and not again

    [team] = await alice.send("/team")
    assert "Lars Vestergaard" in team.text and "2 bookings" in team.text
    await alice.press("❌ Remove Lars Vestergaard")
    await alice.press("✅ Yes, remove the support person")

    await told(alice, "The support person is removed")
    withdrawn = await told(hanne, "Lars Vestergaard er ikke længere støtteperson")
    assert f"2 bookinger til {TITLE}" in withdrawn
    await told(lars, "En koordinator har fjernet dig som støtteperson")
    lars_now = await stored.person(lars.id)
    assert lars_now.role == "lead" and lars_now.name is None and lars_now.phone is None
    assert await stored.value("SELECT count(*) FROM citizens") == 0
    assert await stored.value("SELECT count(*) FROM bookings") == 0
    assert (
        await stored.value("SELECT citizens_booked FROM activities WHERE title = :t", t=TITLE) == 0
    )
    assert "book" not in await menu_of(local_api, lars, lacks="book")
    [refused] = await lars.send("/book")
    assert "Ingeborg" not in refused.text

    [log] = await alice.send("/audit")
    assert "Who did what" in log.text
    for words in (
        "removed the support person",
        "declined the coordinator role, offered by",
        "offered the coordinator role to Ole Bundgaard",
        f"created {TITLE}",
    ):
        assert words in log.text, (words, log.text)


async def test_the_audit_log_comes_a_page_at_a_time_newest_first_to_coordinators_only(
    start_bot, local_api
) -> None:
    await start_bot(coordinator_ids=(HANNE_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE_ID)
    await plan_activity(hanne, title=TITLE)
    for _ in range(11):
        await hanne.send("/stats")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)

    first = (await hanne.send("/audit"))[0].text
    second = (await hanne.press("Næste ▶️"))[-1].text
    [refused] = await ole.send("/audit")

    assert "side 1 af 2" in first
    assert first.count("så tallene") == 10 and "oprettede" not in first
    assert "side 2 af 2" in second
    assert "så tallene" in second and second.rstrip().endswith(f"oprettede {TITLE}")
    assert "kun koordinatorer" in refused.text
