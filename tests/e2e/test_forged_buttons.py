"""Forged buttons change nothing and show nothing: a volunteer pressing every coordinator
button, a support person pressing every button of another support person's, against real
rows. Each press is checked on its own: the database is as it was, and nothing the forger
received names another person."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import Application

from scheduler.outbox import sender_of
from tests.e2e.forgery import (
    COORDINATOR_BUTTONS,
    OWN_ONLY,
    SUPPORT_PERSON_BUTTONS,
    VOLUNTEER_BUTTONS,
    Targets,
    callback_patterns,
    every_example,
    fill,
    matches,
    phone_forms,
)
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
TITLE = "Gåtur i Munke Mose"
DRAFT_TITLE = "Sejltur på Odense Å"
# Rows a forged press may touch without anything happening: when the presser was last seen,
# and their own conversation step (a refused button ends whatever they were in).
VOLATILE_COLUMNS = ("last_seen_at",)
VOLATILE_TABLES = ("conversation_states",)


@dataclass
class Town:
    application: Application
    stored: Stored
    targets: Targets
    volunteer: object  # LocalUser: Ole, a volunteer, forges coordinator buttons
    support_person: object  # LocalUser: Karin forges Lars's buttons
    others_secrets: list[str]  # what neither forger may see


async def arrange_town(start_bot, local_api) -> Town:
    """A coordinator with a published activity and a draft; Mette joined; Lars booked his
    citizen Ingeborg; Karin booked Bo; Ole is a volunteer who joined nothing."""
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, seats="3")
    await hanne.send("/new_activity")
    await hanne.send(DRAFT_TITLE)
    await hanne.send("/cancel")

    mette = local_api.user("Mette", last_name="Kragelund", language_code="da")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press(f"Meld mig til: {TITLE}")
    lars = local_api.user("Lars", last_name="Vestergaard", language_code="da")
    await register_support_person(lars, workplace="Bostedet Skovbo", citizens=("Ingeborg",))
    await book(lars, TITLE, "Ingeborg")
    karin = local_api.user("Karin", last_name="Dahlgaard", language_code="da")
    await register_support_person(karin, workplace="Bofællesskabet Ågården", citizens=("Bo",))
    await book(karin, TITLE, "Bo")
    ole = local_api.user("Ole", last_name="Bundgaard", language_code="da")
    await sign_up_volunteer(ole)
    # An open invitation, and a support person waiting for approval.
    await hanne.send("/invite")
    await hanne.press("➕ Invitér en koordinator")
    per = local_api.user("Per", last_name="Mortensen", language_code="da")
    await per.send("/start")
    await per.press("🤝 Jeg er støtteperson")
    await per.send("Per Mortensen")
    await per.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await per.share_contact("+4520999999")
    await per.send("Bostedet Lyngen")
    await per.press("✅ Ja, det er rigtigt")
    await hanne.next_message()  # the request: sent before any forged press is compared
    # The outbox records a send when its pass ends, a moment after the message arrived: let it,
    # so the first forged press is not blamed for the row turning "sent".
    await sender_of(application).deliver_due()

    published = "SELECT {} FROM activities WHERE status = 'published'"
    targets = Targets(
        activity=await stored.value(published.format("id")),
        version=await stored.value(published.format("version")),
        draft=await stored.value("SELECT id FROM activities WHERE status = 'draft'"),
        interest=await stored.value("SELECT interest_id FROM interest_names WHERE name = 'Gåture'"),
        citizen=await stored.value("SELECT id FROM citizens WHERE first_name = 'Ingeborg'"),
        support_person=(await stored.person(lars.id)).id,
        coordinator=(await stored.person(COORDINATOR_ID)).id,
        invitation=await stored.value("SELECT id FROM invitations WHERE created_by IS NOT NULL"),
        applicant=await stored.value("SELECT id FROM people WHERE support_status = 'pending'"),
    )
    secrets = ["Kragelund", "Vestergaard", "Skovbo", "Ingeborg", DRAFT_TITLE]
    for person in (mette, lars):
        secrets += phone_forms((await stored.person(person.id)).phone)
    return Town(application, stored, targets, ole, karin, secrets)


async def press_forged(town: Town, forger, data: str, secrets: list[str]) -> None:
    """Press `data` from the forger's chat; nothing stored changes and no secret reaches them."""
    before = await town.stored.every_row(
        leave_out_tables=VOLATILE_TABLES, leave_out_columns=VOLATILE_COLUMNS
    )
    alerts_before = len(forger.alerts)

    replies = await forger.press_data(data)

    after = await town.stored.every_row(
        leave_out_tables=VOLATILE_TABLES, leave_out_columns=VOLATILE_COLUMNS
    )
    changed = {table for table in before if before[table] != after.get(table)}
    assert not changed, f"{data!r} from {forger} changed {sorted(changed)}"
    reached = [m.text or "" for m in replies] + [m.html or "" for m in replies]
    reached += [str(alert.get("text") or "") for alert in forger.alerts[alerts_before:]]
    reached += [str(button) for m in replies for button in m.buttons()]
    for secret in secrets:
        assert not any(secret in text for text in reached), (
            f"{data!r} showed {secret!r} to {forger}: {reached}"
        )


async def test_a_volunteer_forging_coordinator_buttons_changes_and_sees_nothing(
    start_bot, local_api
) -> None:
    town = await arrange_town(start_bot, local_api)
    karin = await town.stored.person(town.support_person.id)
    secrets = [*town.others_secrets, "Dahlgaard", *phone_forms(karin.phone)]

    for template in (*COORDINATOR_BUTTONS, *VOLUNTEER_BUTTONS):
        await press_forged(town, town.volunteer, fill(template, town.targets), secrets)

    steps = await town.stored.conversation_steps(town.volunteer.id)
    assert not [step for step in steps if step not in ("null", "")], steps
    editing = "SELECT count(*) FROM activity_edits e JOIN people p ON p.id = e.person_id"
    assert await town.stored.value(f"{editing} WHERE p.telegram_id = :t", t=town.volunteer.id) == 0
    assert await town.stored.value("SELECT status FROM activities WHERE title = :t", t=TITLE) == (
        "published"
    )


async def test_a_support_person_forging_anothers_buttons_changes_and_sees_nothing(
    start_bot, local_api
) -> None:
    town = await arrange_town(start_bot, local_api)
    ole = await town.stored.person(town.volunteer.id)
    secrets = [*town.others_secrets, "Bundgaard", *phone_forms(ole.phone)]

    for template in (*SUPPORT_PERSON_BUTTONS, *COORDINATOR_BUTTONS):
        await press_forged(town, town.support_person, fill(template, town.targets), secrets)

    booked = "SELECT count(*) FROM bookings b JOIN citizens c ON c.id = b.citizen_id"
    assert await town.stored.value(f"{booked} WHERE c.first_name = 'Ingeborg'") == 1
    assert await town.stored.value(f"{booked} WHERE c.first_name = 'Bo'") == 1


async def test_two_support_persons_each_see_only_their_own_citizens_and_bookings(
    start_bot, local_api
) -> None:
    town = await arrange_town(start_bot, local_api)
    karin = town.support_person

    [citizens] = await karin.send("/citizens")
    [bookings] = await karin.send("/bookings")

    assert "Bo" in citizens.text and "Ingeborg" not in citizens.text
    assert "Bo: Gåtur i Munke Mose" in bookings.text
    for message in (citizens, bookings):
        shown = message.text + str(message.buttons())
        assert not [secret for secret in town.others_secrets if secret in shown], shown


async def test_every_button_kind_the_bot_handles_is_in_the_forgery_tables(bot) -> None:
    """A new kind of button must be added to tests/e2e/forgery.py, forged or explained."""
    examples = every_example(Targets(activity=11, version=2, draft=12, interest=3, citizen=4))
    patterns = {pattern for group in bot.handlers.values() for pattern in callback_patterns(group)}
    assert len(patterns) > 40, "the handlers were not found: the check would prove nothing"

    uncovered = [p for p in patterns if not any(matches(p, data) for data in examples)]
    assert not uncovered, f"button kinds no forgery row covers: {sorted(map(repr, uncovered))}"
    handled_by_nobody = [d for d in examples if not any(matches(p, d) for p in patterns)]
    assert not handled_by_nobody, f"rows for buttons that no longer exist: {handled_by_nobody}"
    assert all(reason for reason in OWN_ONLY.values())
