"""The needs coordinators added to the standard list, with their names by language.

An added need's slug is `c<id>`: the standard ones are words, so the two never meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import NeedKind, NeedKindName

PREFIX = "c"


@dataclass(frozen=True)
class AddedNeed:
    id: int
    names: dict[str, str]
    retired: bool

    @property
    def slug(self) -> str:
        return f"{PREFIX}{self.id}"


async def added(session: AsyncSession) -> list[AddedNeed]:
    """Every added need, retired ones too, in the order they were added."""
    kinds = list((await session.execute(select(NeedKind).order_by(NeedKind.id))).scalars())
    names: dict[int, dict[str, str]] = {}
    for row in (await session.execute(select(NeedKindName))).scalars():
        names.setdefault(row.need_id, {})[row.language] = row.name
    return [AddedNeed(k.id, names.get(k.id, {}), k.retired_at is not None) for k in kinds]


async def add(session: AsyncSession, names: Mapping[str, str], *, now: datetime) -> AddedNeed:
    kind = NeedKind(created_at=now)
    session.add(kind)
    await session.flush()
    for language, name in names.items():
        session.add(NeedKindName(need_id=kind.id, language=language, name=name))
    await session.flush()
    return AddedNeed(kind.id, dict(names), False)


async def retire(session: AsyncSession, need_id: int, *, now: datetime) -> bool:
    kind = await session.get(NeedKind, need_id)
    if kind is None or kind.retired_at is not None:
        return False
    kind.retired_at = now
    await session.flush()
    return True
