"""The interest categories volunteers choose from and activities belong to; coordinators add,
rename and retire them."""

from __future__ import annotations

from collections.abc import Mapping

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import audit
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import interests, volunteers
from storage.interests import InterestInfo

__all__ = ["InterestInfo", "active", "everything", "find", "names", "retire", "save"]


async def names(runtime: Runtime, interest_ids: tuple[int, ...], language: str) -> list[str]:
    """The names of these interests in `language`, in the order volunteers see them."""
    async with unit_of_work(runtime) as session:
        return await volunteers.interest_names(session, interest_ids, language)


async def everything(runtime: Runtime) -> list[InterestInfo]:
    """Every interest: the active ones first in their order, then the retired ones."""
    async with unit_of_work(runtime) as session:
        return await interests.all_interests(session)


async def active(runtime: Runtime) -> list[InterestInfo]:
    """The interests volunteers and activities may choose now, in their order."""
    async with unit_of_work(runtime) as session:
        return await interests.active(session)


async def find(runtime: Runtime, interest_id: int) -> InterestInfo | None:
    """One interest, retired or not; None when there is no such interest."""
    async with unit_of_work(runtime) as session:
        return await interests.find(session, interest_id)


async def retire(
    runtime: Runtime, interest_id: int, by: PersonInfo | None = None
) -> InterestInfo | None:
    """Hide an interest from new choices (volunteers and activities keep it as history);
    `by`, the coordinator, is written to the audit log. None when it is gone, or `by` is
    no coordinator."""
    if by is not None and not by.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        retired = await interests.retire(session, interest_id, now=runtime.clock.now())
        if retired is not None and by is not None:
            await audit.record(session, by.id, AuditAction.INTEREST_RETIRED, runtime=runtime)
        return retired


async def save(
    runtime: Runtime,
    interest_id: int | None,
    names: Mapping[str, str],
    by: PersonInfo | None = None,
) -> InterestInfo | None:
    """Add a new interest (`interest_id` None) or rename one, with its name in each language
    of `names`; None when it is gone, or `by` is no coordinator. `by`, the coordinator, is
    written to the audit log."""
    if by is not None and not by.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        saved: InterestInfo | None
        if interest_id is None:
            saved = await interests.add(session, names)
            action = AuditAction.INTEREST_ADDED
        else:
            saved = await interests.rename(session, interest_id, names)
            action = AuditAction.INTEREST_RENAMED
        if saved is not None and by is not None:
            await audit.record(session, by.id, action, runtime=runtime)
        return saved
