"""Interest categories, managed by coordinators: add, rename, retire."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Interest


@dataclass(frozen=True)
class InterestInfo:
    id: int
    name_da: str
    name_en: str
    retired: bool

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_da


def _info(interest: Interest) -> InterestInfo:
    return InterestInfo(
        interest.id, interest.name_da, interest.name_en, interest.retired_at is not None
    )


async def all_interests(session: AsyncSession) -> list[InterestInfo]:
    """Active ones first in their order, then the retired ones."""
    result = await session.execute(
        select(Interest).order_by(Interest.retired_at.is_not(None), Interest.position)
    )
    return [_info(interest) for interest in result.scalars()]


async def find(session: AsyncSession, interest_id: int) -> InterestInfo | None:
    interest = await session.get(Interest, interest_id, populate_existing=True)
    return _info(interest) if interest else None


async def _free_slug(session: AsyncSession, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "interest"
    slug, number = base, 1
    while await session.scalar(select(Interest.id).where(Interest.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


async def add(session: AsyncSession, *, name_da: str, name_en: str) -> InterestInfo:
    position = (await session.scalar(select(func.max(Interest.position)))) or 0
    interest = Interest(
        slug=await _free_slug(session, name_en),
        name_da=name_da,
        name_en=name_en,
        position=position + 1,
    )
    session.add(interest)
    await session.flush()
    return _info(interest)


async def rename(
    session: AsyncSession, interest_id: int, *, name_da: str, name_en: str
) -> InterestInfo | None:
    interest = await session.get(Interest, interest_id)
    if interest is None:
        return None
    interest.name_da = name_da
    interest.name_en = name_en
    await session.flush()
    return _info(interest)


async def retire(session: AsyncSession, interest_id: int, *, now: datetime) -> InterestInfo | None:
    """Hide an interest from new choices; volunteers and activities keep it as history."""
    interest = await session.get(Interest, interest_id)
    if interest is None:
        return None
    if interest.retired_at is None:
        interest.retired_at = now
    await session.flush()
    return _info(interest)
