"""How late reminders go out, when each is due at its own moment and the bot is killed
(SIGKILL) for a while in the middle.

    python -m benchmarks.reminders [--quick] [--database-url URL]

The real bot runs as its own process (`python -m launcher`, as an operator runs it) against
the local Bot API server, on a temporary SQLite file or the database a URL names (it is
migrated and written to: point it at a throw-away database). The benchmark writes 60 published
activities with one volunteer each, whose reminders fall due one after the other, then
watches the chats.

The clock is the real one (the bot process runs on the system clock, as in production), so the
bot's own timers are what is measured. To finish in under three minutes, the ten minutes of
the issue are compressed: the 60 reminders fall due 2 s apart (two minutes), which is harder
than one every 10 s, not easier. The bot is killed for 60 real seconds after the first
quarter of them, so about half fall due while it is down.

Lateness is measured from the due time, or from the moment the restarted bot polls again for
reminders that fell due while it was down (nothing can send them earlier); the raw lateness
of those is printed too. A reminder is missed when it has not arrived 10 s after the last
due time (or the restart), and doubled when a volunteer got it twice. The last line is
exactly:
    reminders p99_late_s=<x.x> missed=<n> doubled=<n>
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from local_bot_api import LocalBotApi
from storage import people, volunteers
from storage.consent import ConsentText
from storage.engine import create_engine, create_session_factory, migrate
from storage.models import Activity, ActivityStatus, Participation, ParticipationStatus

ROOT = Path(__file__).resolve().parents[1]
LEAD = timedelta(hours=24)  # the earliest default of reminder_offsets_hours
TEXT = ConsentText(
    purpose="volunteer_contact", version=1, sha256="ab" * 32, language="da", legal_basis="bench"
)


@dataclass(frozen=True)
class Size:
    activities: int
    spacing: float  # seconds between due times
    down: float  # seconds the bot is killed for
    lead_in: float  # seconds from seeding to the first due time (the bot starts meanwhile)
    grace: float  # seconds after the last due time (or the restart) before one is missed


FULL = Size(activities=60, spacing=2.0, down=60.0, lead_in=15.0, grace=10.0)
QUICK = Size(activities=4, spacing=0.5, down=2.0, lead_in=10.0, grace=5.0)


class BotProcess:
    def __init__(self, api: LocalBotApi, database_url: str) -> None:
        self._api = api
        self._process: asyncio.subprocess.Process | None = None
        self._env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }

    def _polling_starts(self) -> int:
        return sum(1 for call in self._api.calls if call.method == "deleteWebhook")

    async def start(self) -> datetime:
        """Start the bot; returns when it polls (its jobs are scheduled by then)."""
        before = self._polling_starts()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "launcher", cwd=ROOT, env=self._env
        )
        async with asyncio.timeout(60):
            while self._polling_starts() <= before:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        return datetime.now(UTC)

    async def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()


async def _seed(database_url: str, api: LocalBotApi, size: Size, first_due: datetime) -> list:
    """One volunteer and one published activity per reminder, due `spacing` apart."""
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = create_session_factory(engine)
    users = [api.user(f"Frivillig {number}") for number in range(size.activities)]
    now = datetime.now(UTC)
    async with sessions.begin() as session:
        for number, user in enumerate(users):
            await people.register_visit(session, user.id, now=now, is_configured_coordinator=False)
            person = await volunteers.grant_consent(
                session, user.id, text=TEXT, subject="bench", name=user.first_name, now=now
            )
            due = first_due + timedelta(seconds=number * size.spacing)
            activity = Activity(
                status=ActivityStatus.PUBLISHED,
                title=f"Tur {number}",
                place="Munke Mose",
                location_answered=True,
                accessibility_answered=True,
                starts_at=due + LEAD,
                duration_minutes=60,
                volunteers_joined=1,
                citizens_booked=0,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(activity)
            await session.flush()
            session.add(
                Participation(
                    activity_id=activity.id,
                    person_id=person.id,
                    status=ParticipationStatus.JOINED,
                    created_at=now,
                )
            )
    await engine.dispose()
    return users


async def run(size: Size, database_url: str) -> str:
    api = LocalBotApi()
    await api.start()
    bot = BotProcess(api, database_url)
    try:
        # Seed before the first start, with room for the start itself.
        first_due = datetime.now(UTC) + timedelta(seconds=size.lead_in)
        users = await _seed(database_url, api, size, first_due)
        await bot.start()
        dues = [first_due + timedelta(seconds=n * size.spacing) for n in range(size.activities)]
        # Between two due times, so which side of the kill each falls on is clear.
        kill_at = dues[size.activities // 4] - timedelta(seconds=size.spacing / 2)
        await asyncio.sleep(max(0.0, (kill_at - datetime.now(UTC)).total_seconds()))
        await bot.kill()
        killed = datetime.now(UTC)
        await asyncio.sleep(size.down)
        restarted = await bot.start()
        until = max(dues[-1], restarted) + timedelta(seconds=size.grace)
        await asyncio.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()))
    finally:
        await bot.kill()
        await api.stop()

    # When the server answered each sendMessage (a message's own date is in whole seconds).
    sent_to: dict[int, list[datetime]] = {}
    for call in api.calls:
        text = str(call.params.get("text", ""))
        if call.method == "sendMessage" and call.status == 200 and "Påmindelse" in text:
            sent_to.setdefault(int(call.params["chat_id"]), []).append(call.at)
    late: list[float] = []
    raw_down: list[float] = []
    after_restart: list[int] = []  # positions in `late` of those due while down
    missed = doubled = 0
    for user, due in zip(users, dues, strict=True):
        got = sent_to.get(user.id, [])
        if not got:
            missed += 1
            continue
        doubled += len(got) - 1
        sent = got[0]
        if killed <= due < restarted:
            raw_down.append((sent - due).total_seconds())
            after_restart.append(len(late))
            late.append((sent - restarted).total_seconds())
        else:
            late.append((sent - due).total_seconds())
    if os.environ.get("BENCH_VERBOSE"):
        for user, due in zip(users, dues, strict=True):
            print(due.time(), [at.time() for at in sent_to.get(user.id, [])])
        print("killed", killed.time(), "restarted", restarted.time())
    ordered = sorted(late)
    p99 = ordered[min(len(late) - 1, round(0.99 * (len(late) - 1)))] if late else float("nan")
    if late:
        print(
            f"late_s p50={statistics.median(late):.1f} p99={p99:.1f} max={ordered[-1]:.1f} "
            f"(from the due time, or the restart for the {len(raw_down)} due while down)"
        )
    on_time = sorted(set(range(len(late))) - set(after_restart))
    for what, chosen in (("due while up", on_time), ("due while down", after_restart)):
        if chosen:
            picked = sorted(late[n] for n in chosen)
            middle = statistics.median(picked)
            print(f"{what}: {len(picked)}, late_s p50={middle:.1f} max={picked[-1]:.1f}")
    if raw_down:
        print(f"due while down: raw lateness (from the due time) max={max(raw_down):.1f} s")
    print(f"killed for {(restarted - killed).total_seconds():.1f} s including the restart")
    return f"reminders p99_late_s={max(p99, 0.0):.1f} missed={missed} doubled={doubled}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="6 reminders, a short kill")
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    size = QUICK if arguments.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        line = asyncio.run(run(size, url))
    print(f"took {time.perf_counter() - started:.0f} s")
    print(line)


if __name__ == "__main__":
    main()
