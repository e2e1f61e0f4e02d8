"""A person's right to see everything Sammen keeps about them."""

from __future__ import annotations

from typing import Any

from kernel.context import Runtime
from services.unit_of_work import unit_of_work
from storage import data_rights


async def export_person(runtime: Runtime, telegram_id: int, *, language: str) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data stamped with when it was read.

    `language` names the interests in the person's own language."""
    async with unit_of_work(runtime) as session:
        export = await data_rights.export_person(
            session, telegram_id, subject=runtime.subject(telegram_id), language=language
        )
    return {"exported_at": runtime.clock.now().isoformat(), **export}
