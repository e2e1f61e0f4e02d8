"""Reading the interest categories volunteers choose from and activities belong to."""

from __future__ import annotations

from kernel.context import Runtime
from services.unit_of_work import unit_of_work
from storage import volunteers


async def names(runtime: Runtime, interest_ids: tuple[int, ...], language: str) -> list[str]:
    """The names of these interests in `language`, in the order volunteers see them."""
    async with unit_of_work(runtime) as session:
        return await volunteers.interest_names(session, interest_ids, language)
