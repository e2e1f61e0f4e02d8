"""A person's right to see everything Sammen keeps about them."""

from __future__ import annotations

from typing import Any

from kernel.context import Runtime
from services import audit
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import data_rights, people


async def export_person(runtime: Runtime, telegram_id: int, *, language: str) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data stamped with when it was read.

    `language` names the interests in the person's own language. A coordinator's export is
    written to the audit log (it holds what they did to others' activities), before it is
    read, so the export shows it too."""
    async with unit_of_work(runtime) as session:
        found = await people.find_person(session, telegram_id)
        if found is not None and found.is_coordinator:
            await audit.record(session, found.id, AuditAction.EXPORT_OWN_DATA, runtime=runtime)
        export = await data_rights.export_person(
            session, telegram_id, subject=runtime.subject(telegram_id), language=language
        )
    return {"exported_at": runtime.clock.now().isoformat(), **export}
