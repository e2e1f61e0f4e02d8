"""Broadcasts: a coordinator writes one message to many people (all volunteers, volunteers with
chosen interests, everyone going to one activity, support persons, or the other coordinators),
sees it as they will, and sends it now or at a time.

Only coordinators may, and every action checks that here, whatever button was pressed. The
audience is chosen when the broadcast starts, so people who withdrew consent or were erased
meanwhile get nothing; the start marks it sending and owes every recipient the message in
the outbox in ONE transaction (an INSERT ... SELECT per language), so a crash loses nothing and
a second start owes nothing twice. The outbox sends on its bulk lane, replies to people
chatting first. `tick` (a scheduled job) starts what is due and reports progress, counted
from the broadcast's outbox rows, until nothing is owed: then the report is final.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.people import PersonInfo
from kernel.texts import LANGUAGES, pick_language
from kernel.when import format_when
from services import activities, audit
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import broadcasts
from storage.broadcasts import AUDIENCES, Audience, BroadcastInfo, BroadcastStatus, Tally

__all__ = [
    "AUDIENCES",
    "CAPTION_LIMIT",
    "Audience",
    "BroadcastInfo",
    "BroadcastStatus",
    "Drafted",
    "Outcome",
    "Progress",
    "cancel",
    "discard",
    "draft",
    "listing",
    "report",
    "schedule",
    "send_now",
    "shown",
    "tick",
]

# Telegram's limits: a photo's caption, and a message.
CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
LISTED = 10


class Outcome(enum.Enum):
    DRAFTED = "drafted"
    SENDING = "sending"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DISCARDED = "discarded"
    REFUSED = "refused"  # not a coordinator
    GONE = "gone"  # no such broadcast, not theirs, or past the point where this could be done
    TOO_LONG = "too_long"
    IN_THE_PAST = "in_the_past"
    NO_AUDIENCE = "no_audience"  # an audience that is not one, or interests not chosen


@dataclass(frozen=True)
class Drafted:
    """What an action did, and the broadcast as it is now."""

    outcome: Outcome
    broadcast: BroadcastInfo | None = None
    recipients: int = 0


def _allowed(person: PersonInfo | None) -> bool:
    return person is not None and person.is_coordinator


def _audience_of(broadcast: BroadcastInfo) -> Select[int, int, str | None]:
    return broadcasts.chosen(
        broadcast.audience,
        interest_ids=broadcast.interest_ids,
        activity_id=broadcast.activity_id,
        sender_id=broadcast.created_by,
    )


async def draft(
    runtime: Runtime,
    person: PersonInfo | None,
    *,
    audience: str,
    interest_ids: Sequence[int] = (),
    activity_id: int | None = None,
    text: str,
    photo: str | None = None,
    length: int,
) -> Drafted:
    """Keep what a coordinator wrote (Telegram HTML; `length` is its length as Telegram
    counts it) as a draft, with how many it would reach now."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    assert person is not None
    if length > (CAPTION_LIMIT if photo else TEXT_LIMIT):
        return Drafted(Outcome.TOO_LONG)
    if audience not in AUDIENCES or (audience == Audience.INTERESTS and not interest_ids):
        return Drafted(Outcome.NO_AUDIENCE)
    if audience == Audience.ACTIVITY and (
        activity_id is None or await activities.find(runtime, activity_id) is None
    ):
        return Drafted(Outcome.GONE)
    async with unit_of_work(runtime) as session:
        created = await broadcasts.create(
            session,
            created_by=person.id,
            audience=audience,
            interest_ids=interest_ids if audience == Audience.INTERESTS else (),
            activity_id=activity_id if audience == Audience.ACTIVITY else None,
            text=text,
            photo=photo,
            now=runtime.clock.now(),
        )
        recipients = await broadcasts.count(session, _audience_of(created))
    return Drafted(Outcome.DRAFTED, created, recipients)


async def send_now(
    runtime: Runtime,
    person: PersonInfo | None,
    broadcast_id: int,
    *,
    chat_id: int,
    message_id: int,
) -> Drafted:
    """Start the sender's draft now: its recipients are owed it in this one transaction. Its
    progress is shown by editing the message `message_id` in `chat_id`."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    assert person is not None
    async with unit_of_work(runtime) as session:
        started = await _start(
            session,
            runtime,
            broadcast_id,
            from_statuses=[BroadcastStatus.DRAFT],
            created_by=person.id,
            progress_chat_id=chat_id,
            progress_message_id=message_id,
        )
        if started is None:
            return Drafted(Outcome.GONE)
        broadcast, recipients = started
        await audit.record(session, person.id, AuditAction.BROADCAST, runtime=runtime)
    return Drafted(Outcome.SENDING, broadcast, recipients)


async def _start(
    session: AsyncSession,
    runtime: Runtime,
    broadcast_id: int,
    *,
    from_statuses: Sequence[str],
    created_by: int | None = None,
    **values: object,
) -> tuple[BroadcastInfo, int] | None:
    now = runtime.clock.now()
    moved = await broadcasts.move(
        session,
        broadcast_id,
        from_statuses=from_statuses,
        created_by=created_by,
        status=BroadcastStatus.SENDING,
        started_at=now,
        **values,
    )
    if not moved:
        return None
    broadcast = await broadcasts.find(session, broadcast_id)
    assert broadcast is not None
    audience = _audience_of(broadcast)
    recipients = 0
    for language in LANGUAGES:
        recipients += await broadcasts.enqueue(
            session,
            broadcast,
            audience,
            language=language,
            default=runtime.settings.default_language,
            text=broadcast.text,
            now=now,
        )
    await broadcasts.move(
        session, broadcast_id, from_statuses=[BroadcastStatus.SENDING], recipients=recipients
    )
    return broadcast, recipients


async def schedule(
    runtime: Runtime, person: PersonInfo | None, broadcast_id: int, when: datetime
) -> Drafted:
    """Send a draft (the sender's own) or a scheduled broadcast (any coordinator's: the work
    must not hang on one person) at `when` instead."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    assert person is not None
    if when <= runtime.clock.now():
        return Drafted(Outcome.IN_THE_PAST)
    async with unit_of_work(runtime) as session:
        moved = await broadcasts.move(
            session,
            broadcast_id,
            from_statuses=[BroadcastStatus.DRAFT],
            created_by=person.id,
            status=BroadcastStatus.SCHEDULED,
            send_at=when,
        ) or await broadcasts.move(
            session, broadcast_id, from_statuses=[BroadcastStatus.SCHEDULED], send_at=when
        )
        if not moved:
            return Drafted(Outcome.GONE)
        broadcast = await broadcasts.find(session, broadcast_id)
        assert broadcast is not None
        recipients = await broadcasts.count(session, _audience_of(broadcast))
        await audit.record(session, person.id, AuditAction.BROADCAST_SCHEDULED, runtime=runtime)
    return Drafted(Outcome.SCHEDULED, broadcast, recipients)


async def cancel(runtime: Runtime, person: PersonInfo | None, broadcast_id: int) -> Drafted:
    """Call off a scheduled broadcast before it starts."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    assert person is not None
    async with unit_of_work(runtime) as session:
        moved = await broadcasts.move(
            session,
            broadcast_id,
            from_statuses=[BroadcastStatus.SCHEDULED],
            status=BroadcastStatus.CANCELLED,
            finished_at=runtime.clock.now(),
        )
        if moved:
            await audit.record(session, person.id, AuditAction.BROADCAST_CANCELLED, runtime=runtime)
        broadcast = await broadcasts.find(session, broadcast_id)
    return Drafted(Outcome.CANCELLED if moved else Outcome.GONE, broadcast)


async def discard(runtime: Runtime, person: PersonInfo | None, broadcast_id: int) -> Drafted:
    """Throw away the sender's own draft: nothing is kept of it."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    assert person is not None
    async with unit_of_work(runtime) as session:
        gone = await broadcasts.delete_draft(session, broadcast_id, person.id)
    return Drafted(Outcome.DISCARDED if gone else Outcome.GONE)


async def find(runtime: Runtime, person: PersonInfo | None, broadcast_id: int) -> Drafted:
    """A broadcast, for a coordinator."""
    if not _allowed(person):
        return Drafted(Outcome.REFUSED)
    async with unit_of_work(runtime) as session:
        broadcast = await broadcasts.find(session, broadcast_id)
    return Drafted(Outcome.DRAFTED if broadcast else Outcome.GONE, broadcast)


async def listing(runtime: Runtime, person: PersonInfo | None) -> list[BroadcastInfo] | None:
    """The latest broadcasts, sent and scheduled, with their reports; None for anyone but a
    coordinator."""
    if not _allowed(person):
        return None
    async with unit_of_work(runtime) as session:
        return await broadcasts.recent(session, LISTED)


# -- progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A progress message to show: edit `message_id` in `chat_id` (None: send a new one)."""

    broadcast_id: int
    chat_id: int
    message_id: int | None
    text: str
    fingerprint: str


def _progress_text(runtime: Runtime, language: str, tally: Tally) -> str:
    return runtime.texts.get(
        language,
        "broadcast.progress",
        sent=tally.sent,
        waiting=tally.pending,
        unreachable=tally.dropped,
    )


def report(runtime: Runtime, language: str, broadcast: BroadcastInfo) -> str:
    """A finished broadcast's report (delivered, unreachable, failed and why), or where a
    scheduled or sending one stands, in `language`."""
    zone = runtime.settings.zone
    if broadcast.status == BroadcastStatus.SCHEDULED and broadcast.send_at is not None:
        return runtime.texts.get(
            language,
            "broadcast.report.scheduled",
            when=format_when(broadcast.send_at, language, zone),
        )
    if broadcast.status == BroadcastStatus.CANCELLED:
        return runtime.texts.get(language, "broadcast.report.cancelled")
    if broadcast.status == BroadcastStatus.SENDING:
        return runtime.texts.get(
            language, "broadcast.report.sending", recipients=broadcast.recipients
        )
    done = runtime.texts.get(
        language,
        "broadcast.report.done",
        delivered=broadcast.delivered,
        unreachable=broadcast.unreachable,
    )
    if not broadcast.failed:
        # No "0 failed. Failures: —" under every broadcast that went well.
        return done
    reasons = ", ".join(f"{reason} ({number})" for reason, number in broadcast.failures.items())
    failed = runtime.texts.get(
        language,
        "broadcast.report.failed",
        failed=broadcast.failed,
        reasons=reasons or runtime.texts.get(language, "common.not_given"),
    )
    return f"{done} {failed}"


async def tick(runtime: Runtime) -> list[Progress]:
    """Start the scheduled broadcasts that are due, then count every sending one's rows:
    what its sender's progress message should say now (only those that changed), and, when
    nothing is owed any more, the final report, kept on the broadcast."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        due = await broadcasts.due(session, now)
    for broadcast_id in due:
        # Each in its own transaction: one start is all or nothing.
        async with unit_of_work(runtime) as session:
            started = await _start(
                session, runtime, broadcast_id, from_statuses=[BroadcastStatus.SCHEDULED]
            )
            if started is not None:
                # Sent on the word of whoever scheduled it (None if they were erased since).
                await audit.record(
                    session, started[0].created_by, AuditAction.BROADCAST, runtime=runtime
                )
    shows: list[Progress] = []
    async with unit_of_work(runtime) as session:
        for broadcast in await broadcasts.sending(session):
            tally = await broadcasts.tally(session, broadcast.id)
            sender = await broadcasts.sender_of(session, broadcast.created_by)
            language = pick_language(
                sender[1] if sender else None, None, runtime.settings.default_language
            )
            finished = tally.pending == 0
            if finished:
                await broadcasts.move(
                    session,
                    broadcast.id,
                    from_statuses=[BroadcastStatus.SENDING],
                    status=BroadcastStatus.DONE,
                    finished_at=now,
                    delivered=tally.sent,
                    unreachable=tally.dropped,
                    failed=tally.failed,
                    failures=tally.failures or None,
                )
                done = await broadcasts.find(session, broadcast.id)
                assert done is not None
                text = report(runtime, language, done)
            else:
                text = _progress_text(runtime, language, tally)
            fingerprint = f"{finished}:{tally.pending}:{tally.sent}:{tally.dropped}:{tally.failed}"
            chat_id = broadcast.progress_chat_id or (sender[0] if sender else None)
            if chat_id is None or fingerprint == broadcast.progress_shown:
                continue
            shows.append(
                Progress(broadcast.id, chat_id, broadcast.progress_message_id, text, fingerprint)
            )
    return shows


async def shown(
    runtime: Runtime, broadcast_id: int, *, chat_id: int, message_id: int, fingerprint: str
) -> None:
    """Remember which message shows a broadcast's progress, and what it shows."""
    async with unit_of_work(runtime) as session:
        await broadcasts.move(
            session,
            broadcast_id,
            from_statuses=[
                BroadcastStatus.SENDING,
                BroadcastStatus.DONE,
            ],
            progress_chat_id=chat_id,
            progress_message_id=message_id,
            progress_shown=fingerprint,
        )
