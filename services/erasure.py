"""Erasing a person: what /delete and a declined consent text both end in, and wiping what
erasures leave in the database files.

Erasure is a unit of work that deletes the rows and notes, in the same transaction, that a
wipe is owed (storage.wipe). Right after the commit the wipe is tried once; when something
holds it up (a long read, a locked table) it gives up at once instead of stalling the bot, and
the scheduled job `wipe_erased` tries again every WIPE_EVERY until it finishes. The person is
told which of the two happened.
"""

from __future__ import annotations

import enum
import logging
from datetime import timedelta

from kernel.context import Runtime
from services.participation import tell_about_departure
from services.unit_of_work import unit_of_work
from storage import data_rights, wipe

__all__ = ["WIPED_WITHIN_MINUTES", "WIPE_EVERY", "Erased", "erase_person", "wipe_erased"]

log = logging.getLogger(__name__)

# The scheduled job's interval, and what people are promised: a few tries' worth, since a
# try only fails while someone holds a read open, which the bot's own reads never do for long.
WIPE_EVERY = timedelta(minutes=1)
WIPED_WITHIN_MINUTES = 5


class Erased(enum.Enum):
    """What an erasure achieved."""

    NOTHING_STORED = "nothing_stored"
    # The rows are deleted and their bytes are overwritten in the database files.
    WIPED = "wiped"
    # The rows are deleted; the wipe of the files is owed and retried by the scheduled job.
    WIPE_PENDING = "wipe_pending"

    @property
    def pending(self) -> bool:
        return self is Erased.WIPE_PENDING


async def erase_person(runtime: Runtime, telegram_id: int, *, actor: str = "self") -> Erased:
    """Withdraw consent and erase everything about the person, in one unit of work with the
    notices to whoever moves up into a place they freed and the note that a wipe is owed;
    then try the wipe once."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        erasure = await data_rights.erase_person(
            session, telegram_id, subject=runtime.subject(telegram_id), actor=actor, now=now
        )
        for departure in erasure.departures:
            await tell_about_departure(session, runtime, departure)
        if erasure.erased:
            await wipe.owe(session, now=now)
    if not erasure.erased:
        return Erased.NOTHING_STORED
    return Erased.WIPED if await wipe_erased(runtime) else Erased.WIPE_PENDING


async def wipe_erased(runtime: Runtime) -> bool:
    """Overwrite what committed erasures left in the database files, if any wipe is owed.
    True when nothing is owed any more; the scheduled job calls this until it is."""
    async with unit_of_work(runtime) as session:
        newest = await wipe.newest_owed(session)
    if newest is None:
        return True
    if not await wipe.wipe(runtime.engine):
        log.info("Wipe of erased data held up; tried again within %s", WIPE_EVERY)
        return False
    # Only the notes read before the wipe began: an erasure committed during it may not be
    # covered, and keeps its note for the next try.
    async with unit_of_work(runtime) as session:
        await wipe.settle(session, up_to=newest)
    return True
