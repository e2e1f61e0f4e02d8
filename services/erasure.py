"""Erasing a person: what /delete and a declined consent text both end in."""

from __future__ import annotations

from kernel.context import Runtime
from services.participation import tell_about_departure
from services.unit_of_work import unit_of_work
from storage import data_rights
from storage.engine import checkpoint_wal


async def erase_person(runtime: Runtime, telegram_id: int, *, actor: str = "self") -> bool:
    """Withdraw consent and erase everything about the person, in one unit of work with the
    notices to whoever moves up into a place they freed. False if nothing was stored."""
    async with unit_of_work(runtime) as session:
        erasure = await data_rights.erase_person(
            session,
            telegram_id,
            subject=runtime.subject(telegram_id),
            actor=actor,
            now=runtime.clock.now(),
        )
        for departure in erasure.departures:
            await tell_about_departure(session, runtime, departure)
    # The write-ahead log still holds the old pages until a checkpoint folds it in.
    await checkpoint_wal(runtime.engine)
    return erasure.erased
