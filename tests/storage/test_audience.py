"""A new activity's audience is chosen by one SQL query, and its notices are written with one
INSERT ... SELECT per language, on SQLite and PostgreSQL: who matches (interest, weekday,
part of the day, consent, not on it yet), and a batch run twice is owed once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage import outbox, volunteers
from storage.models import (
    Activity,
    ActivityStatus,
    Interest,
    OutboxMessage,
    Participation,
    Person,
    Role,
    VolunteerInterest,
)

ZONE = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
# Wednesday 2 December 2026, 10:00 in Copenhagen: weekday 2, the morning.
STARTS = datetime(2026, 12, 2, 10, 0, tzinfo=ZONE)


async def _arrange(sessions) -> tuple[Activity, dict[str, int]]:
    async with sessions.begin() as session:
        interests = {
            slug: interest_id
            for slug, interest_id in await session.execute(select(Interest.slug, Interest.id))
        }
        walks, games = interests["walks"], interests["games"]
        people = {
            # name: (interest, days, parts, consented, language)
            "matches": (walks, [2], ["morning"], True, "da"),
            "reads_english": (walks, [0, 2, 4], ["morning", "evening"], True, "en"),
            "no_language": (walks, [2], ["morning"], True, None),
            "other_days": (walks, [1, 3], ["morning"], True, "da"),
            "evenings": (walks, [2], ["evening"], True, "da"),
            "other_interest": (games, [2], ["morning"], True, "da"),
            "withdrew_consent": (walks, [2], ["morning"], False, "da"),
            "already_going": (walks, [2], ["morning"], True, "da"),
        }
        ids: dict[str, int] = {}
        for number, (name, (interest, days, parts, consented, language)) in enumerate(
            people.items()
        ):
            person = Person(
                telegram_id=1000 + number,
                role=Role.VOLUNTEER,
                language=language,
                created_at=NOW,
                last_seen_at=NOW,
                consent_version=1 if consented else None,
                name=name,
                available_days=days,
                available_parts=parts,
                signup_completed_at=NOW,
            )
            session.add(person)
            await session.flush()
            session.add(VolunteerInterest(person_id=person.id, interest_id=interest))
            ids[name] = person.id
        activity = Activity(
            status=ActivityStatus.PUBLISHED,
            title="Gåtur",
            interest_id=walks,
            starts_at=STARTS,
            max_volunteers=10,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(activity)
        await session.flush()
        session.add(
            Participation(
                activity_id=activity.id,
                person_id=ids["already_going"],
                status="joined",
                created_at=NOW,
            )
        )
    return activity, ids


async def test_the_audience_is_those_whose_interest_and_free_time_match(sessions) -> None:
    activity, ids = await _arrange(sessions)

    chosen = volunteers.audience(activity.id, activity.interest_id, activity.starts_at, zone=ZONE)
    assert chosen is not None
    async with sessions() as session:
        found = {person_id for person_id, _, _ in await session.execute(chosen)}
        size = await volunteers.audience_size(
            session, activity.id, activity.interest_id, activity.starts_at, zone=ZONE
        )

    assert found == {ids["matches"], ids["reads_english"], ids["no_language"]}
    assert size == 3
    assert volunteers.audience(activity.id, None, STARTS, zone=ZONE) is None


async def test_a_batch_is_one_text_per_language_and_owed_once(sessions) -> None:
    activity, ids = await _arrange(sessions)
    chosen = volunteers.audience(activity.id, activity.interest_id, activity.starts_at, zone=ZONE)
    assert chosen is not None

    async def owe_all() -> int:
        added = 0
        async with sessions.begin() as session:
            for language in ("da", "en"):
                readers = outbox.reading(
                    chosen, language, default="da", dedupe_prefix=f"new:{activity.id}:"
                )
                added += await outbox.enqueue_many(
                    session,
                    readers,
                    kind="new_activity",
                    text=f"Ny aktivitet ({language})",
                    keyboard={"inline_keyboard": [[{"text": language, "callback_data": "x"}]]},
                    now=NOW,
                )
        return added

    assert await owe_all() == 3
    assert await owe_all() == 0
    async with sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.person_id, OutboxMessage.text, OutboxMessage.keyboard)
        )
        owed = {person_id: (text, keyboard) for person_id, text, keyboard in rows}
    assert set(owed) == {ids["matches"], ids["reads_english"], ids["no_language"]}
    assert owed[ids["reads_english"]][0] == "Ny aktivitet (en)"
    assert owed[ids["no_language"]][0] == "Ny aktivitet (da)"
    assert owed[ids["matches"]][1] == {"inline_keyboard": [[{"text": "da", "callback_data": "x"}]]}


async def test_a_batch_without_dedupe_keys_and_with_a_suffix(sessions) -> None:
    await _arrange(sessions)
    chosen = outbox.recipients_among([1000, 1001, 424242])  # the last one is not stored

    async def owe_all(**dedupe) -> int:
        async with sessions.begin() as session:
            readers = outbox.reading(chosen, "da", default="da", **dedupe)
            return await outbox.enqueue_many(
                session, readers, kind="company_joined", text="Hej", now=NOW
            )

    assert await owe_all() == 1  # 1001 reads English
    assert await owe_all() == 1  # no key: owed again
    assert await owe_all(dedupe_prefix="company:1:", dedupe_suffix=":2026-11-24") == 1
    assert await owe_all(dedupe_prefix="company:1:", dedupe_suffix=":2026-11-24") == 0
    async with sessions() as session:
        keys = list(await session.scalars(select(OutboxMessage.dedupe_key)))
    assert sorted(keys, key=str) == sorted([None, None, "company:1:1000:2026-11-24"], key=str)
