"""Sammen at the size of a large municipality: memory, the volunteers' list and publishing with
100, 1,000 and 10,000 volunteers (and 10, 100 and 1,000 upcoming activities).

    python -m benchmarks.scale [--quick]

For each size, a fresh SQLite file is filled through storage with bulk inserts (volunteers
with interests and free time, activities over the next two months, about one joined
activity per volunteer), then the real bot runs against the local Bot API server: a
volunteer who signed up in the chat asks for /activities again and again (p95 of the reply),
and a coordinator publishes a walk in the chat (the time from pressing »Offentliggør« to the
reply), whose notices are written after the reply (the time until they are in the outbox is
printed too). RSS is the whole process's, read after the list was shown; each size runs in a
process of its own so one size's memory does not count for the next.

Prints figures per size; the last line is exactly (10,000 against 100, or the largest
against the smallest size with --quick):
    scale rss_ratio=<x.xx> list_p95_ratio=<x.xx> publish_ms=<n>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, insert, select

from bot import app as bot_app
from kernel.config import Settings
from kernel.context import Runtime
from local_bot_api import LocalBotApi, LocalUser, TrackedApplication
from storage.models import (
    Activity,
    ActivityStatus,
    Interest,
    OutboxMessage,
    Participation,
    ParticipationStatus,
    Person,
    Role,
    VolunteerInterest,
)
from tests.e2e.journeys import sign_up_volunteer

SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (20, 40, 80)
COORDINATOR_ID = 777_000_001
FIRST_TELEGRAM_ID = 5_000_000_000
LIST_REQUESTS = 30
PARTS = ("morning", "afternoon", "evening")
BATCH = 2_000


@dataclass(frozen=True)
class Figures:
    volunteers: int
    activities: int
    rss_mb: float
    list_p50_ms: float
    list_p95_ms: float
    publish_ms: float
    told: int
    announced_ms: float


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _in_batches(runtime: Runtime, table: type, rows: Sequence[Mapping[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with runtime.sessions.begin() as session:
            await session.execute(insert(table), rows[start : start + BATCH])


async def _arrange(runtime: Runtime, volunteers: int, seed: int = 11) -> None:
    """Volunteers, activities and who joined what, with a few bulk inserts."""
    chance = random.Random(seed)
    now = datetime.now(UTC)
    async with runtime.sessions() as session:
        interests = list(await session.scalars(select(Interest.id).order_by(Interest.position)))
    people = [
        {
            "telegram_id": FIRST_TELEGRAM_ID + number,
            "role": Role.VOLUNTEER,
            "language": chance.choice(("da", "da", "da", "en", None)),
            "created_at": now,
            "last_seen_at": now,
            "consent_version": 1,
            "name": f"Frivillig{number} Jensen",
            "phone": f"+45{20_000_000 + number}",
            "email_answered": True,
            "interests_answered": True,
            "available_days": sorted(chance.sample(range(7), chance.randint(2, 7))),
            "available_parts": sorted(chance.sample(PARTS, chance.randint(1, 3))),
            "availability_answered": True,
            "signup_completed_at": now,
        }
        for number in range(volunteers)
    ]
    await _in_batches(runtime, Person, people)
    async with runtime.sessions() as session:
        person_ids = list(
            await session.scalars(
                select(Person.id).where(Person.telegram_id >= FIRST_TELEGRAM_ID).order_by(Person.id)
            )
        )
    liked = [
        {"person_id": person_id, "interest_id": interest_id}
        for person_id in person_ids
        for interest_id in chance.sample(interests, chance.randint(1, 3))
    ]
    await _in_batches(runtime, VolunteerInterest, liked)
    count = max(1, volunteers // 10)
    going = {number: chance.sample(person_ids, min(10, len(person_ids))) for number in range(count)}
    activities = [
        {
            "status": ActivityStatus.PUBLISHED,
            "title": f"Fællesaktivitet {number}",
            "description": "Vi mødes, laver noget sammen og drikker kaffe bagefter.",
            "interest_id": chance.choice(interests),
            "place": "Borgernes Hus, Odense",
            "location_answered": True,
            "starts_at": now + timedelta(hours=chance.randint(24, 24 * 60)),
            "duration_minutes": 90,
            "citizen_seats": 4,
            "min_volunteers": 2,
            "max_volunteers": 15,
            "accessibility": [],
            "accessibility_answered": True,
            "repeat_weeks": 1,
            "volunteers_joined": len(going[number]),
            "citizens_booked": 0,
            "version": 1,
            "announce_pending": False,
            "created_at": now,
            "updated_at": now,
        }
        for number in range(count)
    ]
    await _in_batches(runtime, Activity, activities)
    async with runtime.sessions() as session:
        activity_ids = list(await session.scalars(select(Activity.id).order_by(Activity.id)))
    joined = [
        {
            "activity_id": activity_id,
            "person_id": person_id,
            "status": ParticipationStatus.JOINED,
            "created_at": now,
        }
        for number, activity_id in enumerate(activity_ids)
        for person_id in going[number]
    ]
    await _in_batches(runtime, Participation, joined)


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _publish_a_walk(coordinator: LocalUser) -> tuple[float, float]:
    """A coordinator plans a walk in the chat: milliseconds from »Offentliggør« to the reply,
    and from the reply until the update was done (the notices written)."""
    await coordinator.send("/new_activity")
    await coordinator.send("Gåtur i Munke Mose")
    await coordinator.send("Vi går en tur rundt om søen og drikker kaffe bagefter.")
    await coordinator.press("Gåture")
    await coordinator.send("Munke Mose, Odense")
    await coordinator.press("Spring over")
    await coordinator.send("i morgen 10:00")
    await coordinator.press("2 t")
    for answer in ("4", "2", "3"):
        await coordinator.send(answer)
    await coordinator.press("Niveaufri adgang")
    await coordinator.press("Færdig ✔️")
    await coordinator.press("Kun én gang")
    seen = len(coordinator.messages)
    started = time.perf_counter()
    # The update is done only once the notices are written too: time the reply itself.
    pressed = asyncio.ensure_future(coordinator.press("✅ Offentliggør"))
    while not any("offentliggjort" in (m.text or "") for m in coordinator.messages[seen:]):
        if pressed.done():
            pressed.result()  # a failure shows here; else the reply is there now
            continue
        await asyncio.sleep(0.001)
    replied = time.perf_counter()
    await pressed
    return (replied - started) * 1000, (time.perf_counter() - replied) * 1000


async def _owed_notices(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "new_activity")
        )
    return found or 0


async def measure(volunteers: int, database_url: str) -> Figures:
    """One size, in this process: arrange, then ask and publish through the real bot."""
    api = LocalBotApi()
    await api.start()
    settings = Settings(
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        database_url=database_url,
        coordinator_ids=(COORDINATOR_ID,),
        default_language="da",
        _env_file=None,  # type: ignore[call-arg]
    )
    # Tracked: the bot reports each update done, so a reply is timed exactly, not by silence.
    application = bot_app.build_application(settings, application_class=TrackedApplication)
    api.attach(application)
    await bot_app.start(application, poll_timeout=1)
    try:
        runtime = bot_app.runtime_of(application)
        await _arrange(runtime, volunteers)
        mette = api.user("Mette", language_code="da")
        await sign_up_volunteer(mette, interest="Gåture")
        await mette.send("/activities")  # warm the caches, as a running bot has them
        took = []
        for _ in range(LIST_REQUESTS):
            started = time.perf_counter()
            await mette.send("/activities")
            took.append((time.perf_counter() - started) * 1000)
        rss = _rss_mb()
        hanne = api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
        before = await _owed_notices(runtime)
        publish_ms, announced_ms = await _publish_a_walk(hanne)
        told = await _owed_notices(runtime) - before
        activities = max(1, volunteers // 10)
    finally:
        await bot_app.stop(application)
        await api.stop()
    return Figures(
        volunteers=volunteers,
        activities=activities,
        rss_mb=rss,
        list_p50_ms=statistics.median(took),
        list_p95_ms=_p(took, 0.95),
        publish_ms=publish_ms,
        told=told,
        announced_ms=announced_ms,
    )


def _line(figures: Figures) -> str:
    return (
        f"volunteers={figures.volunteers} activities={figures.activities} "
        f"rss_mb={figures.rss_mb:.1f} list_p50_ms={figures.list_p50_ms:.1f} "
        f"list_p95_ms={figures.list_p95_ms:.1f} publish_ms={figures.publish_ms:.0f} "
        f"told={figures.told} notices_written_after_reply_ms={figures.announced_ms:.0f}"
    )


def summary(every: list[Figures]) -> str:
    small, large = every[0], every[-1]
    return (
        f"scale rss_ratio={large.rss_mb / small.rss_mb:.2f} "
        f"list_p95_ratio={large.list_p95_ms / small.list_p95_ms:.2f} "
        f"publish_ms={large.publish_ms:.0f}"
    )


async def run(sizes: tuple[int, ...], folder: Path) -> str:
    """Every size in this process (a smoke test: RSS then counts what earlier sizes left)."""
    every = []
    for volunteers in sizes:
        url = f"sqlite+aiosqlite:///{folder / f'scale-{volunteers}.db'}"
        figures = await measure(volunteers, url)
        print(_line(figures))
        every.append(figures)
    return summary(every)


def _isolated(volunteers: int, folder: Path) -> Figures:
    """One size in a process of its own, so its RSS is its own."""
    url = f"sqlite+aiosqlite:///{folder / f'scale-{volunteers}.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--one", str(volunteers), "--url", url],
        check=True,
        capture_output=True,
        text=True,
    )
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one is not None:
        print(json.dumps(asdict(asyncio.run(measure(arguments.one, arguments.url)))))
        return
    every = []
    with tempfile.TemporaryDirectory() as folder:
        for volunteers in QUICK_SIZES if arguments.quick else SIZES:
            figures = _isolated(volunteers, Path(folder))
            print(_line(figures), flush=True)
            every.append(figures)
    print(summary(every))


if __name__ == "__main__":
    main()
