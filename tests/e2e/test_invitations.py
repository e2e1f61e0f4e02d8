"""Roles are given, not claimed: the setup link of a fresh installation, /invite links (used,
reused, expired, revoked, forwarded), and support persons' requests approved or declined."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from bot.app import stop
from tests.e2e.journeys import plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
OTHER_COORDINATOR_ID = 777000002
LINK = re.compile(r"https://t\.me/\w+\?start=(inv_[A-Za-z0-9_-]+)")


def token_in(text: str | None) -> str:
    found = LINK.search(text or "")
    assert found, text
    return found.group(1)


async def invite(coordinator, button: str) -> str:
    """The coordinator makes a link with /invite and one of its buttons: the link's token."""
    await coordinator.send("/invite")
    shown = await coordinator.press(button)
    picture = shown[-1]
    assert picture.photo, "the invitation comes as a QR code picture"
    assert (await coordinator.download(picture)).startswith(b"\x89PNG")
    return token_in(picture.caption or picture.text)


async def become_coordinator(user, token: str, name: str, *, english: bool = False) -> None:
    invited = await user.send(f"/start {token}")
    assert (
        "invited to become a coordinator" if english else "inviteret til at blive koordinator"
    ) in invited[-1].text
    await user.press("👉 Get started" if english else "👉 Kom i gang")
    consent = await user.send(name)
    assert ("what we keep" if english else "hvad vi gemmer") in consent[-1].text
    done = await user.press(
        "✅ I agree, and I am 18 or older" if english else "✅ Jeg siger ja, og jeg er fyldt 18"
    )
    assert ("You are now a coordinator" if english else "Du er nu koordinator") in done[-1].text


async def register_invited_support_person(user, token: str, *, workplace: str | None) -> list:
    await user.send(f"/start {token}")
    await user.press("👉 Kom i gang")
    await user.send(f"{user.first_name} Mortensen")
    await user.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await user.share_contact(f"+45203{user.id % 100_000:05d}")
    if workplace is not None:
        await user.send(workplace)
    return await user.press("✅ Ja, det er rigtigt")


async def register_uninvited_support_person(user, workplace: str, *, english: bool = False) -> list:
    await user.send("/start")
    await user.press("🤝 I am a support person" if english else "🤝 Jeg er støtteperson")
    await user.send(f"{user.first_name} Mortensen")
    await user.press(
        "✅ I agree, and I am 18 or older" if english else "✅ Jeg siger ja, og jeg er fyldt 18"
    )
    await user.share_contact(f"+45204{user.id % 100_000:05d}")
    await user.send(workplace)
    return await user.press("✅ Yes, that is right" if english else "✅ Ja, det er rigtigt")


# --- The first coordinator ------------------------------------------------------------------


async def test_the_setup_link_makes_the_first_coordinator_once(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(database_url=database_url)
    stored = Stored(application)
    link = application.bot_data.setup_link
    assert link and link.startswith("https://t.me/")
    token = token_in(link)
    # Only a hash is kept: the token itself is nowhere in the database.
    assert await stored.value("SELECT count(*) FROM invitations") == 1
    assert await stored.value("SELECT token_sha256 FROM invitations") == (
        hashlib.sha256(token.encode()).hexdigest()
    )
    assert token not in json.dumps(await stored.every_row(), default=str)

    anna = local_api.user("Anna", language_code="da")
    await become_coordinator(anna, token, "Anna Holm")
    person = await stored.person(anna.id)
    assert person.is_coordinator and person.name == "Anna Holm"
    [granted] = await stored.consent_history(anna.id)
    assert granted.purpose == "coordinator_contact"
    # The ledger holds the hash of the very text Anna was shown.
    shown = next(m for m in anna.messages if m.from_bot and "hvad vi gemmer" in (m.text or ""))
    assert granted.text_sha256 == hashlib.sha256((shown.html or "").encode()).hexdigest()
    menu = await anna.send("/help")
    assert "/invite" in menu[-1].text

    # The same link again: someone else gets nothing; Anna is told she is one already.
    bo = local_api.user("Bo", language_code="en")
    refused = await bo.send(f"/start {token}")
    assert "already used" in refused[-1].text
    assert (await stored.person(bo.id)).role == "lead"
    again = await anna.send(f"/start {token}")
    assert "allerede den rolle" in again[-1].text

    # With a coordinator, a restart prints no new setup link.
    await stop(application)
    restarted = await start_bot(database_url=database_url)
    assert restarted.bot_data.setup_link is None


async def test_a_volunteer_cannot_use_the_setup_link(start_bot, local_api) -> None:
    application = await start_bot()
    token = token_in(application.bot_data.setup_link)
    ole = local_api.user("Ole", language_code="da")
    await sign_up_volunteer(ole)
    refused = await ole.send(f"/start {token}")
    assert "allerede med i Sammen i en anden rolle" in refused[-1].text
    assert not (await Stored(application).person(ole.id)).is_coordinator


# --- Invitations ----------------------------------------------------------------------------


async def test_an_invitation_is_used_once_and_expires(start_bot, local_api, clock) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title="Gåtur i Munke Mose")

    # With an organisation: the workplace question is not asked.
    await hanne.send("/invite Bofællesskabet Lindegården")
    picture = hanne.messages[-1]
    assert "støtteperson hos Bofællesskabet Lindegården" in (picture.caption or "")
    token = token_in(picture.caption)
    karin = local_api.user("Karin", language_code="da")
    opened = await karin.send(f"/start {token}")
    assert "støtteperson for Bofællesskabet Lindegården" in opened[-1].text
    done = await register_invited_support_person(karin, token, workplace=None)
    assert "registreret som støtteperson" in done[-1].text
    person = await stored.person(karin.id)
    assert person.organisation == "Bofællesskabet Lindegården"
    assert person.is_approved_support_person
    citizens = await karin.send("/citizens")
    assert "venter" not in citizens[-1].text

    # The audit log: the invitation made, and Karin becoming a support person by it.
    [log] = await hanne.send("/audit")
    assert "lavede en invitation" in log.text
    assert "Karin Mortensen: blev støtteperson med en invitation" in log.text

    # Used: Karin is told she has the role; nobody else gets it.
    again = await karin.send(f"/start {token}")
    assert "allerede den rolle" in again[-1].text
    lise = local_api.user("Lise", language_code="da")
    used = await lise.send(f"/start {token}")
    assert "allerede brugt" in used[-1].text
    assert (await stored.person(lise.id)).role == "lead"

    # Expired: 14 days by default.
    later = await invite(hanne, "➕ Invitér en støtteperson")
    clock.advance(timedelta(days=14, minutes=1))
    expired = await lise.send(f"/start {later}")
    assert "udløbet" in expired[-1].text
    assert (await stored.person(lise.id)).role == "lead"


async def test_a_revoked_invitation_grants_nothing(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="en", user_id=COORDINATOR_ID)
    token = await invite(hanne, "➕ Invite a coordinator")
    listed = await hanne.send("/invite")
    assert "coordinator, valid until" in listed[-1].text
    number = await Stored(application).value(
        "SELECT id FROM invitations WHERE created_by IS NOT NULL"
    )
    revoked = await hanne.press(f"🚫 Revoke no. {number}")
    assert "is revoked" in revoked[-1].text
    assert "None right now" in (await hanne.send("/invite"))[-1].text

    tom = local_api.user("Tom", language_code="en")
    refused = await tom.send(f"/start {token}")
    assert "was revoked" in refused[-1].text
    assert (await Stored(application).person(tom.id)).role == "lead"

    # Revoked after it was opened: the registration under way grants nothing.
    second = await invite(hanne, "➕ Invite a coordinator")
    await tom.send(f"/start {second}")
    await tom.press("👉 Get started")
    await tom.send("Tom Berg")
    await hanne.send("/invite")
    newest = await Stored(application).value("SELECT max(id) FROM invitations")
    await hanne.press(f"🚫 Revoke no. {newest}")
    answer = await tom.press("✅ I agree, and I am 18 or older")
    assert "was revoked" in answer[-1].text
    assert (await Stored(application).person(tom.id)).role == "lead"

    # The audit log has each invitation made and revoked, and nothing was granted.
    [log] = await hanne.send("/audit")
    assert log.text.count("made an invitation") == 2
    assert log.text.count("revoked an invitation") == 2
    assert "became a coordinator" not in log.text


async def test_a_forwarded_invitation_belongs_to_whoever_opened_it_first(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="en", user_id=COORDINATOR_ID)
    token = await invite(hanne, "➕ Invite a coordinator")
    mads = local_api.user("Mads", language_code="en")
    opened = await mads.send(f"/start {token}")
    assert "invited to become a coordinator" in opened[-1].text

    # Mads forwards it before finishing: Jens gets nothing, and cannot register either.
    jens = local_api.user("Jens", language_code="en")
    refused = await jens.send(f"/start {token}")
    assert "already used" in refused[-1].text
    await jens.press_data("cs:start")
    await jens.send("Jens Juul")
    answer = await jens.press_data("cs:yes")
    assert "already used" in answer[-1].text
    assert (await stored.person(jens.id)).role == "lead"

    await become_coordinator(mads, token, "Mads Berg", english=True)
    assert (await stored.person(mads.id)).is_coordinator


# --- Support persons' requests --------------------------------------------------------------


async def test_a_request_is_approved_by_the_first_coordinator(
    start_bot, local_api, database_url
) -> None:
    application = await start_bot(
        database_url=database_url, coordinator_ids=(COORDINATOR_ID, OTHER_COORDINATOR_ID)
    )
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    peter = local_api.user("Peter", language_code="da", user_id=OTHER_COORDINATOR_ID)
    await hanne.send("/start")
    await peter.send("/start")

    karin = local_api.user("Karin", language_code="da")
    done = await register_uninvited_support_person(karin, "Bostedet Skovbo")
    assert "bedt koordinatorerne om at godkende dig" in done[-1].text
    for command in ("/citizens", "/book"):
        waiting = await karin.send(command)
        assert "venter stadig på svar" in waiting[-1].text
    assert not (await stored.person(karin.id)).is_approved_support_person

    asked = await hanne.next_message()
    assert "Karin Mortensen, Bostedet Skovbo" in asked.text
    await peter.next_message()
    approved = await hanne.press("✅ Godkend")
    assert "Du har godkendt Karin Mortensen" in approved[-1].text
    told = await karin.next_message()
    assert "Du er godkendt som støtteperson" in told.text
    assert (await stored.person(karin.id)).is_approved_support_person

    # A later press changes nothing and says who decided.
    late = await peter.press("Afvis")
    # Coordinators from the settings have no name stored: "another coordinator".
    assert "allerede godkendt af en anden koordinator" in late[-1].text
    assert (await stored.person(karin.id)).is_approved_support_person
    citizens = await karin.send("/citizens")
    assert "venter" not in citizens[-1].text

    # One approval in the audit log, by the coordinator whose press decided.
    assert (
        await stored.value("SELECT COUNT(*) FROM audit_entries WHERE action = 'approval_granted'")
        == 1
    )
    [log] = await peter.send("/audit")
    assert "godkendte Karin Mortensen" in log.text


async def test_a_coordinator_who_joins_later_is_asked_about_the_requests_still_waiting(
    start_bot, local_api
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="en", user_id=COORDINATOR_ID)
    await hanne.send("/start")
    tom = local_api.user("Tom", language_code="en")
    await register_uninvited_support_person(tom, "Dagcenter Lyset", english=True)
    assert "Tom Mortensen, Dagcenter Lyset" in (await hanne.next_message()).text

    # Hanne does not answer; a new coordinator joins by invitation and is asked too.
    token = await invite(hanne, "➕ Invite a coordinator")
    ida = local_api.user("Ida", language_code="en")
    await ida.send(f"/start {token}")
    await ida.press("👉 Get started")
    await ida.send("Ida Holm")
    done = await ida.press("✅ I agree, and I am 18 or older")
    assert any("You are now a coordinator" in (m.text or "") for m in done)
    while "Tom Mortensen, Dagcenter Lyset" not in ((asked := ida.messages[-1]).text or ""):
        await ida.next_message()
    approved = await ida.press("✅ Approve", in_message=asked)
    assert "You approved Tom Mortensen" in approved[-1].text
    assert (await stored.person(tom.id)).is_approved_support_person
    # Asked once, whatever else happens later.
    assert (
        await stored.value(
            "SELECT COUNT(*) FROM outbox_messages WHERE dedupe_key LIKE 'support_request:%'"
        )
        == 2
    )


async def test_a_declined_request_is_told_and_cannot_book(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="en", user_id=COORDINATOR_ID)
    await hanne.send("/start")

    tom = local_api.user("Tom", language_code="en")
    done = await register_uninvited_support_person(tom, "Dagcenter Lyset", english=True)
    assert "asked the coordinators to approve you" in done[-1].text
    asked = await hanne.next_message()
    assert "Tom Mortensen, Dagcenter Lyset" in asked.text
    declined = await hanne.press("Decline")
    assert "You declined Tom Mortensen" in declined[-1].text
    told = await tom.next_message()
    assert "did not approve you" in told.text
    refused = await tom.send("/book")
    assert "did not approve you" in refused[-1].text
    assert (await stored.person(tom.id)).support_status == "declined"


async def test_forged_invitation_and_request_buttons_are_refused(start_bot, local_api) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    stored = Stored(application)
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await invite(hanne, "➕ Invitér en koordinator")
    number = await stored.value("SELECT id FROM invitations WHERE created_by IS NOT NULL")
    karin = local_api.user("Karin", language_code="da")
    await register_uninvited_support_person(karin, "Bostedet Skovbo")
    applicant = (await stored.person(karin.id)).id

    ole = local_api.user("Ole", language_code="da")
    await sign_up_volunteer(ole)
    for data in (f"inv:revoke:{number}", "inv:coord:-", "inv:support:-", f"spr:yes:{applicant}"):
        await ole.press_data(data)
        assert "kun koordinatorer" in str(ole.alerts[-1].get("text"))
    # Karin herself, still waiting, cannot approve herself either.
    await karin.press_data(f"spr:yes:{applicant}")
    assert "kun koordinatorer" in str(karin.alerts[-1].get("text"))

    assert await stored.value("SELECT count(*) FROM invitations") == 1
    assert await stored.value("SELECT revoked_at FROM invitations") is None
    assert (await stored.person(karin.id)).support_status == "pending"
