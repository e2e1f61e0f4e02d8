"""The outbox: messages owed to people other than the one who just wrote.

`enqueue` runs inside the transaction of the change a message tells about (a leave that moves
someone up, a cancellation), so both are committed or neither is. A sender (scheduler/outbox.py)
then claims due rows for a short lease, sends them, and marks each one. Claiming is safe with
several senders on one database: PostgreSQL skips rows another sender has locked
(`FOR UPDATE SKIP LOCKED`); SQLite, which ignores FOR UPDATE, claims with one conditional
UPDATE, and SQLite lets one writer at a time run it.

Per recipient, only the oldest unsettled row can be claimed, so messages arrive in the order
they were written even when one of them has to wait for a retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    delete,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kernel.texts import LANGUAGES
from storage.dialects import insert_for
from storage.models import OutboxMessage, OutboxStatus, Person

SETTLED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.DROPPED)


@dataclass(frozen=True)
class Recipient:
    """Whom a message is for: the person row it belongs to and the chat it goes to."""

    person_id: int
    chat_id: int
    language: str | None


@dataclass(frozen=True)
class Claimed:
    """A row a sender holds for the length of its lease."""

    id: int
    person_id: int
    chat_id: int
    kind: str
    text: str
    keyboard: dict[str, object] | None
    attempts: int
    # A broadcast's photo (Telegram file id): the text is then its caption.
    photo: str | None = None


# Marks a session whose transaction enqueued something (see services.unit_of_work).
_ENQUEUED = "sammen.outbox_enqueued"


async def recipient(session: AsyncSession, telegram_id: int) -> Recipient | None:
    """The person behind a Telegram id, as a recipient; None if they are not stored."""
    row = (
        await session.execute(
            select(Person.id, Person.telegram_id, Person.language).where(
                Person.telegram_id == telegram_id
            )
        )
    ).first()
    return Recipient(*row) if row else None


async def enqueue(
    session: AsyncSession,
    to: Recipient,
    *,
    kind: str,
    text: str,
    now: datetime,
    keyboard: dict[str, object] | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Owe `to` a message, in the caller's transaction; False if `dedupe_key` was used before."""
    insert = insert_for(session)
    statement = insert(OutboxMessage).values(
        person_id=to.person_id,
        chat_id=to.chat_id,
        kind=kind,
        text=text,
        keyboard=keyboard,
        dedupe_key=dedupe_key,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = await session.execute(statement)
    added: bool = result.rowcount == 1  # type: ignore[attr-defined]
    if added:
        session.info[_ENQUEUED] = True
    return added


def recipients_among(telegram_ids: Sequence[int]) -> Select[int, int, str | None]:
    """The stored people with these Telegram ids, as (person id, Telegram id, language): the
    kind of selection `reading` takes."""
    return select(Person.id, Person.telegram_id, Person.language).where(
        Person.telegram_id.in_(telegram_ids)
    )


def reading(
    chosen: Select[int, int, str | None],
    language: str,
    *,
    default: str,
    dedupe_prefix: str | None = None,
    dedupe_suffix: str = "",
) -> Select[int, int, str]:
    """Those of `chosen` (person id, Telegram id, language) who read `language` (when their
    own is unknown or not offered, the default) as `enqueue_many` takes them: person id, chat
    id and a dedupe key (`dedupe_prefix`, their Telegram id, `dedupe_suffix`), or no key."""
    rows = chosen.subquery()
    reads: ColumnElement[bool] = rows.c.language == language
    if language == default:
        reads = or_(reads, rows.c.language.is_(None), rows.c.language.not_in(LANGUAGES))
    key: ColumnElement[Any] = null()
    if dedupe_prefix is not None:
        key = literal(dedupe_prefix) + cast(rows.c.telegram_id, String) + literal(dedupe_suffix)
    return select(
        rows.c.id.label("person_id"),
        rows.c.telegram_id.label("chat_id"),
        key.label("dedupe_key"),
    ).where(reads)


async def enqueue_many(
    session: AsyncSession,
    recipients: Select[int, int, str],
    *,
    kind: str,
    text: str,
    now: datetime,
    keyboard: dict[str, object] | None = None,
    broadcast_id: int | None = None,
    photo: str | None = None,
) -> int:
    """Owe everyone `recipients` selects the same message, with ONE statement (INSERT ...
    SELECT), in the caller's transaction; returns how many rows were added. A broadcast's
    rows carry its id (and its photo, the text then being the caption).

    `recipients` selects (person id, chat id, dedupe key), labelled `person_id`, `chat_id`
    and `dedupe_key`. A row whose dedupe key was used before is skipped (ON CONFLICT DO
    NOTHING, on SQLite and PostgreSQL alike), so running the same batch again adds nothing.
    """
    chosen = recipients.subquery()
    table = OutboxMessage.__table__
    rows = select(
        chosen.c.person_id,
        chosen.c.chat_id,
        literal(kind, table.c.kind.type),
        literal(text, table.c.text.type),
        literal(keyboard, table.c.keyboard.type) if keyboard is not None else null(),
        chosen.c.dedupe_key,
        literal(OutboxStatus.PENDING, table.c.status.type),
        literal(0, table.c.attempts.type),
        literal(now, table.c.next_attempt_at.type),
        literal(now, table.c.created_at.type),
        literal(broadcast_id, table.c.broadcast_id.type) if broadcast_id is not None else null(),
        literal(photo, table.c.photo.type) if photo is not None else null(),
    ).where(true())  # SQLite reads ON CONFLICT right only after a WHERE
    columns = [
        "person_id",
        "chat_id",
        "kind",
        "text",
        "keyboard",
        "dedupe_key",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "broadcast_id",
        "photo",
    ]
    statement = (
        insert_for(session)(OutboxMessage)
        .from_select(columns, rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    result = await session.execute(statement)
    added: int = result.rowcount  # type: ignore[attr-defined]
    if added:
        session.info[_ENQUEUED] = True
    return max(added, 0)


def enqueued_in(session: AsyncSession) -> bool:
    """Whether this session's transaction owes anyone a message (the sender is woken then)."""
    return bool(session.info.get(_ENQUEUED))


def _free_and_due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    ]


def _first_in_line() -> ColumnElement[bool]:
    """The oldest unsettled row of each recipient goes first, whatever holds it up."""
    older = aliased(OutboxMessage)
    return ~exists().where(
        older.person_id == OutboxMessage.person_id,
        older.status == OutboxStatus.PENDING,
        older.id < OutboxMessage.id,
    )


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    holder: str | None = None,
) -> list[Claimed]:
    """Take up to `limit` due rows for `lease`, oldest first, in the name of `holder`; commit
    before sending them."""
    due = (
        select(OutboxMessage.id)
        .where(*_free_and_due(now), _first_in_line())
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    chosen: ColumnElement[bool]
    if session.get_bind().dialect.name == "postgresql":
        # Rows another sender is claiming right now are skipped, not waited for.
        locked = await session.execute(due.with_for_update(skip_locked=True, of=OutboxMessage))
        ids = list(locked.scalars())
        if not ids:
            return []
        chosen = OutboxMessage.id.in_(ids)
    else:
        chosen = OutboxMessage.id.in_(due.scalar_subquery())
    claimed = await session.execute(
        update(OutboxMessage)
        # Free and due, checked again by the UPDATE itself: it decides, not an earlier read.
        .where(chosen, *_free_and_due(now))
        .values(claimed_until=now + lease, claimed_by=holder)
        .returning(
            OutboxMessage.id,
            OutboxMessage.person_id,
            OutboxMessage.chat_id,
            OutboxMessage.kind,
            OutboxMessage.text,
            OutboxMessage.keyboard,
            OutboxMessage.attempts,
            OutboxMessage.photo,
        )
    )
    found = sorted(claimed.all(), key=lambda row: row.id)
    return [
        Claimed(
            row.id,
            row.person_id,
            row.chat_id,
            row.kind,
            row.text or "",
            row.keyboard,
            row.attempts,
            row.photo,
        )
        for row in found
    ]


def _settle(status: str, now: datetime, failure: str | None = None) -> dict[str, object]:
    # No personal data is kept longer than needed: the text goes once it is settled.
    return {
        "status": status,
        "text": None,
        "keyboard": None,
        "photo": None,
        "failure": failure,
        "claimed_until": None,
        "claimed_by": None,
        "attempts": OutboxMessage.attempts + 1,
        "sent_at": now if status == OutboxStatus.SENT else None,
    }


async def mark_sent(session: AsyncSession, message_id: int, *, now: datetime) -> None:
    """Telegram took it: keep the kind and the times, forget the text."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(**_settle(OutboxStatus.SENT, now))
    )


def _held_by(holder: str | None) -> list[ColumnElement[bool]]:
    """Only rows this sender still holds: a row erased meanwhile may have had its id reused
    (SQLite reuses the highest), and the new row must not be settled by the old send."""
    return [] if holder is None else [OutboxMessage.claimed_by == holder]


async def mark_all_sent(
    session: AsyncSession,
    message_ids: Sequence[int],
    *,
    now: datetime,
    holder: str | None = None,
) -> None:
    """`mark_sent` for many rows at once: a busy sender settles what it sent in one go."""
    if message_ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), *_held_by(holder))
            .values(**_settle(OutboxStatus.SENT, now))
        )


async def claim_holders(session: AsyncSession, *, now: datetime) -> list[str]:
    """Who holds leases that have not run out yet."""
    found = await session.scalars(
        select(OutboxMessage.claimed_by)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.claimed_until > now,
            OutboxMessage.claimed_by.is_not(None),
        )
        .distinct()
    )
    return [holder for holder in found if holder is not None]


async def release_claims_of(session: AsyncSession, holders: Sequence[str]) -> int:
    """Free the rows these (dead) holders claimed, so they can be sent again now."""
    if not holders:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.claimed_by.in_(holders),
        )
        .values(claimed_until=None, claimed_by=None)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


async def mark_given_up(
    session: AsyncSession,
    message_id: int,
    *,
    status: str,
    now: datetime,
    holder: str | None = None,
    failure: str | None = None,
) -> None:
    """Telegram will never take it (dropped) or kept failing (failed): stop trying, and keep
    `failure`, why (a code or Telegram's words, nothing about the person)."""
    if status not in (OutboxStatus.FAILED, OutboxStatus.DROPPED):
        raise ValueError(f"not a status to give up with: {status}")
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_held_by(holder))
        .values(**_settle(status, now, failure))
    )


async def drop_owed_to(
    session: AsyncSession, person_id: int, *, now: datetime, failure: str | None = None
) -> int:
    """Telegram will not deliver to this person (they blocked the bot, the chat is gone):
    everything still owed to them is dropped at once, rather than refused row by row."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.person_id == person_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(**_settle(OutboxStatus.DROPPED, now, failure))
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


async def postpone(
    session: AsyncSession,
    message_ids: Sequence[int],
    *,
    until: datetime,
    attempted: bool,
    holder: str | None = None,
) -> None:
    """Release claimed rows to be tried again from `until`; `attempted` counts a failed try."""
    if not message_ids:
        return
    values: dict[str, object] = {
        "claimed_until": None,
        "claimed_by": None,
        "next_attempt_at": until,
    }
    if attempted:
        values["attempts"] = OutboxMessage.attempts + 1
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status == OutboxStatus.PENDING,
            *_held_by(holder),
        )
        .values(**values)
    )


async def purge_settled(session: AsyncSession, *, before: datetime) -> int:
    """Delete settled rows created before `before`: the audit trail does not grow forever."""
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(SETTLED), OutboxMessage.created_at < before
        )
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


@dataclass(frozen=True)
class OutboxRow:
    """A row as tests and the audit see it."""

    id: int
    person_id: int
    kind: str
    status: str
    attempts: int
    has_text: bool
    dedupe_key: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None


async def rows(session: AsyncSession, *, person_id: int | None = None) -> list[OutboxRow]:
    """Every row, oldest first, optionally for one person; texts are not returned."""
    query = select(
        OutboxMessage.id,
        OutboxMessage.person_id,
        OutboxMessage.kind,
        OutboxMessage.status,
        OutboxMessage.attempts,
        OutboxMessage.text.is_not(None),
        OutboxMessage.dedupe_key,
        OutboxMessage.next_attempt_at,
        OutboxMessage.created_at,
        OutboxMessage.sent_at,
    ).order_by(OutboxMessage.id)
    if person_id is not None:
        query = query.where(OutboxMessage.person_id == person_id)
    found: list[Any] = list(await session.execute(query))
    return [OutboxRow(*row) for row in found]


async def pending_count(session: AsyncSession) -> int:
    """How many messages are still owed."""
    counted = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
    )
    return counted or 0


@dataclass(frozen=True)
class Owed:
    """One message of a batch: its recipient, its own text, and its dedupe key."""

    to: Recipient
    text: str
    dedupe_key: str
    # Buttons under this message, as Telegram's JSON (a reminder's answers are per person).
    keyboard: dict[str, object] | None = None
    # A photo sent with it (Telegram file id): the text is then its caption.
    photo: str | None = None


# Rows per INSERT: SQLite allows 32,766 bound values in one statement, 10 per row here.
_BATCH = 1000


async def enqueue_each(
    session: AsyncSession, messages: Sequence[Owed], *, kind: str, now: datetime
) -> int:
    """Owe each recipient their own text, with one multi-row INSERT per thousand, in the
    caller's transaction; rows whose dedupe key was used before are skipped. Returns how many
    were added."""
    added = 0
    for start in range(0, len(messages), _BATCH):
        values = [
            {
                "person_id": message.to.person_id,
                "chat_id": message.to.chat_id,
                "kind": kind,
                "text": message.text,
                "keyboard": message.keyboard if message.keyboard is not None else null(),
                "photo": message.photo if message.photo is not None else null(),
                "dedupe_key": message.dedupe_key,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for message in messages[start : start + _BATCH]
        ]
        result = await session.execute(
            insert_for(session)(OutboxMessage)
            .values(values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        added += result.rowcount  # type: ignore[attr-defined]
    if added:
        session.info[_ENQUEUED] = True
    return added
