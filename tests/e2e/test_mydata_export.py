"""/mydata gives every person everything stored about them: each section of the export, for a
volunteer, for a support person with citizens and bookings, and for a coordinator."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.outbox import sender_of
from tests.e2e.journeys import book, plan_activity, register_support_person, sign_up_volunteer
from tests.e2e.stored import Stored

COORDINATOR_ID = 777000001
WALK, GAMES = "Gåtur i Munke Mose", "Brætspil"
SECTIONS = [
    "exported_at",
    "telegram_id",
    "person",
    "activities",
    "activities_you_created",
    "your_actions_as_coordinator",
    "citizens_you_book_for",
    "how_activities_went",
    "messages",
    "open_conversations",
    "consent_history",
]
TIME = "<time>"
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def masked(value: Any) -> Any:
    """The export with every timestamp replaced by <time> (checked for format on the way)."""
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        assert datetime.fromisoformat(value).tzinfo is not None, value
        return TIME
    return value


def the_day_after_tomorrow_at(clock, hour: int) -> str:
    zone = ZoneInfo("Europe/Copenhagen")
    day = clock.now().astimezone(zone).date() + timedelta(days=2)
    return datetime.combine(day, time(hour), zone).astimezone(UTC).isoformat()


async def export_of(user) -> dict[str, Any]:
    [document] = await user.send("/mydata")
    return json.loads(await user.download(document))


async def after_the_activity_answer_how_it_went(application, clock, user) -> None:
    clock.advance(timedelta(days=3))
    [job] = application.job_queue.get_jobs_by_name("follow-up")
    await job.run(application)
    while "Hvordan var" not in (await user.next_message()).text:  # sent in the background
        pass
    await user.press("😊 Godt")
    # The sender records what Telegram answered once its pass ends; this waits for that.
    await sender_of(application).deliver_due()


async def test_a_volunteers_export_holds_every_section(start_bot, local_api, clock) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=WALK, when="i overmorgen 10:00")
    await plan_activity(hanne, title=GAMES, when="i overmorgen 14:00", minimum="1", maximum="1")
    walk_starts, games_start = (the_day_after_tomorrow_at(clock, h) for h in (10, 14))
    ida = local_api.user("Ida")
    await sign_up_volunteer(ida)
    await ida.send("/activities")
    await ida.press(f"✋ Meld mig til: {GAMES}")
    mette = local_api.user("Mette", last_name="Kragelund")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {WALK}")
    await mette.press(f"⏳ Venteliste: {GAMES}")
    await after_the_activity_answer_how_it_went(application, clock, mette)
    [granted] = await Stored(application).consent_history(mette.id)

    export = await export_of(mette)

    assert list(export) == SECTIONS
    assert datetime.fromisoformat(export["exported_at"]) <= clock.now()
    assert export["telegram_id"] == mette.id
    assert masked(export["person"]) == {
        "role": "volunteer",
        "language": "da",
        "campaign": None,
        "created_at": TIME,
        "last_seen_at": TIME,
        "consent_version": 1,
        "name": "Mette Kragelund",
        "phone": (await Stored(application).person(mette.id)).phone,
        "email": None,
        "interests": ["Gåture"],
        "available_weekdays": EVERY_DAY,
        "available_parts_of_day": ["morning", "afternoon", "evening"],
        "signup_completed_at": TIME,
        "organisation": None,
    }
    assert [(a["activity"], a["starts_at"], a["status"]) for a in export["activities"]] == [
        (WALK, walk_starts, "joined"),
        (GAMES, games_start, "waiting"),
    ]
    assert masked(export["activities"])[0] == {
        "activity": WALK,
        "starts_at": TIME,
        "status": "joined",
        "since": TIME,
    }
    assert export["citizens_you_book_for"] == []
    assert masked(export["how_activities_went"]) == [
        {"activity": WALK, "answer": "good", "as": "volunteer", "at": TIME}
    ]
    assert masked(export["messages"]) == [
        {"kind": "follow_up", "status": "sent", "created_at": TIME, "sent_at": TIME}
    ]
    assert export["open_conversations"] == []
    assert masked(export["consent_history"]) == [
        {
            "purpose": "volunteer_contact",
            "action": "granted",
            "text_version": 1,
            "text_sha256": granted.text_sha256,
            "language": "da",
            "legal_basis": "GDPR art. 6(1)(a): consent",
            "actor": "self",
            "age_confirmed": True,
            "at": TIME,
        }
    ]
    assert "Kragelund" not in json.dumps(await export_of(ida), ensure_ascii=False)


async def test_a_support_persons_export_holds_their_citizens_and_bookings(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=WALK, when="i overmorgen 10:00")
    walk_starts = the_day_after_tomorrow_at(clock, 10)
    lars = local_api.user("Lars", last_name="Vestergaard")
    await register_support_person(lars, citizens=("Gunnhild", "Thorvald"))
    await book(lars, WALK, "Gunnhild")
    await after_the_activity_answer_how_it_went(application, clock, lars)
    [granted] = await Stored(application).consent_history(lars.id)

    export = await export_of(lars)

    assert list(export) == SECTIONS
    assert export["telegram_id"] == lars.id
    assert masked(export["person"]) == {
        "role": "support",
        "language": "da",
        "campaign": None,
        "created_at": TIME,
        "last_seen_at": TIME,
        "consent_version": 1,
        "name": "Lars Vestergaard",
        "phone": (await Stored(application).person(lars.id)).phone,
        "email": None,
        "interests": [],
        "available_weekdays": [],
        "available_parts_of_day": [],
        "signup_completed_at": TIME,
        "organisation": "Bostedet Skovbo",
    }
    assert export["activities"] == []
    assert masked(export["citizens_you_book_for"]) == [
        {
            "first_name": "Gunnhild",
            "added_at": TIME,
            "needs": [],
            "note": None,
            "authority": "self",
            "shared_with_colleagues": 0,
            "bookings": [
                {
                    "activity": WALK,
                    "starts_at": TIME,
                    "activity_status": "published",
                    "booked_at": TIME,
                }
            ],
        },
        {
            "first_name": "Thorvald",
            "added_at": TIME,
            "needs": [],
            "note": None,
            "authority": "self",
            "shared_with_colleagues": 0,
            "bookings": [],
        },
    ]
    assert export["citizens_you_book_for"][0]["bookings"][0]["starts_at"] == walk_starts
    [answer] = masked(export["how_activities_went"])
    assert (answer["activity"], answer["answer"], answer["at"]) == (WALK, "good", TIME)
    assert masked(export["messages"]) == [
        {"kind": "follow_up", "status": "sent", "created_at": TIME, "sent_at": TIME}
    ]
    assert export["open_conversations"] == []
    assert masked(export["consent_history"]) == [
        {
            "purpose": "support_person_contact",
            "action": "granted",
            "text_version": 1,
            "text_sha256": granted.text_sha256,
            "language": "da",
            "legal_basis": "GDPR art. 6(1)(a): consent",
            "actor": "self",
            "age_confirmed": True,
            "at": TIME,
        }
    ]


async def test_a_coordinators_export_holds_their_open_planning(start_bot, local_api) -> None:
    await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=WALK)
    await hanne.send("/new_activity")
    await hanne.send("Sejltur på Odense Å")

    export = await export_of(hanne)

    assert list(export) == SECTIONS
    assert export["telegram_id"] == COORDINATOR_ID
    assert masked(export["person"]) == {
        "role": "coordinator",
        "language": "da",
        "campaign": None,
        "created_at": TIME,
        "last_seen_at": TIME,
        "consent_version": None,
        "name": None,
        "phone": None,
        "email": None,
        "interests": [],
        "available_weekdays": [],
        "available_parts_of_day": [],
        "signup_completed_at": None,
        "organisation": None,
    }
    for section in ("activities", "citizens_you_book_for", "how_activities_went", "messages"):
        assert export[section] == [], section
    assert export["open_conversations"] == [
        {"conversation": "activity_planning", "step": '"description"'}
    ]
    assert export["consent_history"] == []
