"""The outbox's side of delivering: claiming what is due and settling each row after Telegram
answered. The sender (scheduler/outbox.py) does the talking to Telegram; every change to the
rows goes through here, one short unit of work each."""

from __future__ import annotations

from datetime import datetime, timedelta

from kernel.context import Runtime
from services.unit_of_work import unit_of_work
from storage import outbox
from storage.models import OutboxStatus
from storage.outbox import Claimed

__all__ = ["Claimed", "OutboxStatus", "claim_due", "postpone", "settle"]


async def claim_due(runtime: Runtime, *, lease: timedelta, limit: int) -> list[Claimed]:
    """Claim up to `limit` rows that are due now, for `lease` (no other sender takes them)."""
    async with unit_of_work(runtime) as session:
        return await outbox.claim(session, now=runtime.clock.now(), lease=lease, limit=limit)


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
