"""Many volunteers press *Join* for the last places at the same moment.

    python -m benchmarks.seats [--database-url URL] [--capacity 5] [--attempts 50]

Runs the real storage layer on a temporary SQLite file, or on the database a URL names (it is
migrated and written to: point it at a throw-away database). Each attempt joins, or takes the
waiting list when the activity is full, all at once. Prints figures; the last line is exactly:
    seats capacity=5 attempts=50 seated=<n> waitlisted=<n> overbooked=<n>
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage import activities, participation, people, volunteers
from storage.consent import ConsentText
from storage.engine import create_engine, create_session_factory, migrate
from storage.models import Activity

TEXT = ConsentText("volunteer_contact", 1, "0" * 64, "da", "benchmark")
FIRST_TELEGRAM_ID = 9_000_000_000


@dataclass(frozen=True)
class SeatsResult:
    capacity: int
    attempts: int
    seated: int
    waitlisted: int
    overbooked: int
    counter: int
    seconds: float

    def summary(self) -> str:
        return (
            f"seats capacity={self.capacity} attempts={self.attempts} seated={self.seated} "
            f"waitlisted={self.waitlisted} overbooked={self.overbooked}"
        )


async def run_scenario(database_url: str, *, capacity: int = 5, attempts: int = 50) -> SeatsResult:
    """Set up an activity with `capacity` places and `attempts` volunteers; all press at once."""
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    async with sessions.begin() as session:
        coordinator = await people.register_visit(
            session, FIRST_TELEGRAM_ID - 1, now=now, is_configured_coordinator=True
        )
        draft = await activities.start_draft(session, by=coordinator.id, now=now)
        await activities.change(
            session,
            draft.id,
            by=coordinator.id,
            now=now,
            title="Gåtur i Munke Mose",
            starts_at=now + timedelta(days=3),
            duration_minutes=90,
            citizen_seats=4,
            min_volunteers=2,
            max_volunteers=capacity,
        )
        [activity] = await activities.publish(
            session,
            draft.id,
            by=coordinator.id,
            now=now,
            zone=ZoneInfo("UTC"),
        )
        person_ids = []
        for number in range(attempts):
            telegram_id = FIRST_TELEGRAM_ID + number
            await people.register_visit(
                session, telegram_id, now=now, is_configured_coordinator=False
            )
            person = await volunteers.grant_consent(
                session,
                telegram_id,
                text=TEXT,
                subject=str(telegram_id),
                name=f"V {number}",
                now=now,
            )
            person_ids.append(person.id)

    async def press_join(person_id: int) -> participation.Outcome:
        outcome = await participation.join(sessions, activity.id, person_id, now=now)
        if outcome is participation.Outcome.FULL:
            outcome = await participation.wait(sessions, activity.id, person_id, now=now)
        return outcome

    started = time.perf_counter()
    await asyncio.gather(*(press_join(person_id) for person_id in person_ids))
    seconds = time.perf_counter() - started

    async with sessions() as session:
        counts = await participation.counts(session, activity.id)
        counter = await session.scalar(
            select(Activity.volunteers_joined).where(Activity.id == activity.id)
        )
    await engine.dispose()
    seated = counts.get("joined", 0)
    return SeatsResult(
        capacity=capacity,
        attempts=attempts,
        seated=seated,
        waitlisted=counts.get("waiting", 0),
        overbooked=max(0, seated - capacity, (counter or 0) - capacity),
        counter=counter or 0,
        seconds=seconds,
    )


async def _main(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'seats.db'}"
        result = await run_scenario(url, capacity=arguments.capacity, attempts=arguments.attempts)
    print(f"database: {url.split('://', 1)[0]}")
    print(
        f"all presses handled in {result.seconds:.3f} s "
        f"({result.attempts / result.seconds:.0f} presses/s)"
    )
    print(f"seat counter on the activity: {result.counter}")
    print(result.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=50)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
