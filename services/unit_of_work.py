"""One unit of work per action: a transaction, committed as a whole, then the outbox woken.

Every notice an action causes is written to the outbox inside the same transaction (storage's
`outbox.enqueue` marks the session). Only after the commit succeeded is the sender woken, here
and nowhere else, so a forgotten wake-up cannot delay a message and a rolled-back action never
sends one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from storage.outbox import enqueued_in


@asynccontextmanager
async def unit_of_work(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session in one transaction; committed when the block ends without an error."""
    async with runtime.sessions.begin() as session:
        yield session
        owed = enqueued_in(session)
    if owed:
        runtime.wake_outbox()
