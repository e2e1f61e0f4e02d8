"""The outbox's side of delivering: claiming what is due and settling each row after Telegram
answered. The sender (scheduler/outbox.py) does the talking to Telegram; every change to the
rows goes through here, in short units of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kernel.context import Runtime
from services.unit_of_work import unit_of_work
from storage import outbox
from storage.models import OutboxStatus
from storage.outbox import Claimed

__all__ = [
    "Claimed",
    "OutboxStatus",
    "Settled",
    "claim_due",
    "postpone",
    "settle",
    "settle_all",
    "take_over",
]


@dataclass(frozen=True)
class Settled:
    """How one send ended, to be recorded: a final status, or pending again from `retry_at`
    (`attempted`: it counts as a failed try)."""

    message: Claimed
    status: str
    retry_at: datetime | None = None
    attempted: bool = True
    # Why it was dropped or failed, kept on the row (a broadcast's report counts them).
    failure: str | None = None


async def claim_due(
    runtime: Runtime, *, lease: timedelta, limit: int, holder: str | None = None
) -> list[Claimed]:
    """Claim up to `limit` rows that are due now, for `lease` (no other sender takes them),
    in the name of `holder`."""
    async with unit_of_work(runtime) as session:
        return await outbox.claim(
            session, now=runtime.clock.now(), lease=lease, limit=limit, holder=holder
        )


async def take_over(runtime: Runtime, is_dead: Callable[[str], bool]) -> int:
    """Free the claims of holders that `is_dead` says will never finish (an earlier run of
    this process, killed), so their rows go out now rather than when the lease runs out.
    Returns how many rows were freed."""
    async with unit_of_work(runtime) as session:
        holders = await outbox.claim_holders(session, now=runtime.clock.now())
        return await outbox.release_claims_of(session, [h for h in holders if is_dead(h)])


async def postpone(
    runtime: Runtime, message_ids: list[int], *, until: datetime, attempted: bool
) -> None:
    """Try these rows again at `until`; `attempted` counts it as a failed try."""
    async with unit_of_work(runtime) as session:
        await outbox.postpone(session, message_ids, until=until, attempted=attempted)


async def settle(runtime: Runtime, message: Claimed, status: str) -> int:
    """Record how a send ended: sent, dropped (with everything else owed to that person,
    which would meet the same refusal) or failed. Returns how many rows it settled."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        if status == OutboxStatus.SENT:
            await outbox.mark_sent(session, message.id, now=now)
            return 1
        if status == OutboxStatus.DROPPED:
            return await outbox.drop_owed_to(session, message.person_id, now=now)
        await outbox.mark_given_up(session, message.id, status=status, now=now)
        return 1


async def settle_all(
    runtime: Runtime, outcomes: Sequence[Settled], *, holder: str | None = None
) -> int:
    """Record many sends in one unit of work (see `settle` and `postpone`), of rows `holder`
    still holds. Returns how many rows were dropped, those owed to the same people
    included."""
    now = runtime.clock.now()
    dropped = 0
    async with unit_of_work(runtime) as session:
        sent = [o.message.id for o in outcomes if o.status == OutboxStatus.SENT]
        await outbox.mark_all_sent(session, sent, now=now, holder=holder)
        for outcome in outcomes:
            if outcome.status == OutboxStatus.PENDING:
                await outbox.postpone(
                    session,
                    [outcome.message.id],
                    until=outcome.retry_at or now,
                    attempted=outcome.attempted,
                    holder=holder,
                )
            elif outcome.status == OutboxStatus.DROPPED:
                dropped += await outbox.drop_owed_to(
                    session, outcome.message.person_id, now=now, failure=outcome.failure
                )
            elif outcome.status != OutboxStatus.SENT:
                await outbox.mark_given_up(
                    session,
                    outcome.message.id,
                    status=outcome.status,
                    now=now,
                    holder=holder,
                    failure=outcome.failure,
                )
    return dropped
