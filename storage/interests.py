"""Interest categories, managed by coordinators: add, rename, retire.

An interest has a name per language (table interest_names), so a new language needs no new
column: only its catalogue and an entry in kernel.texts.LANGUAGES.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.texts import LANGUAGES
from storage.models import Interest, InterestName

# Letters NFKD does not take apart, spelled the way Danes write them without the letter.
_SPELLED_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})


@dataclass(frozen=True)
class InterestInfo:
    id: int
    # Language code -> the interest's name in it (read-only).
    names: Mapping[str, str] = field(hash=False)
    retired: bool
    slug: str

    def name(self, language: str, default: str = LANGUAGES[0]) -> str:
        """The name in `language`; else in the default language; else any name it has."""
        for wanted in (language, default):
            if self.names.get(wanted):
                return self.names[wanted]
        return next(iter(self.names.values()), "")


async def _names(session: AsyncSession, interest_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The names of these interests, in one query."""
    names: dict[int, dict[str, str]] = {}
    ids = list(interest_ids)
    if not ids:
        return names
    result = await session.execute(select(InterestName).where(InterestName.interest_id.in_(ids)))
    for row in result.scalars():
        names.setdefault(row.interest_id, {})[row.language] = row.name
    return names


async def _infos(session: AsyncSession, interests: Iterable[Interest]) -> list[InterestInfo]:
    interests = list(interests)
    names = await _names(session, (interest.id for interest in interests))
    return [
        InterestInfo(
            interest.id,
            MappingProxyType(_in_language_order(names.get(interest.id, {}))),
            interest.retired_at is not None,
            interest.slug,
        )
        for interest in interests
    ]


def _in_language_order(names: dict[str, str]) -> dict[str, str]:
    """Known languages first in their order, so 'any name' is a stable choice."""
    ordered = {language: names[language] for language in LANGUAGES if language in names}
    return ordered | names


async def _info(session: AsyncSession, interest: Interest) -> InterestInfo:
    [info] = await _infos(session, [interest])
    return info


async def all_interests(session: AsyncSession) -> list[InterestInfo]:
    """Active ones first in their order, then the retired ones."""
    result = await session.execute(
        select(Interest).order_by(Interest.retired_at.is_not(None), Interest.position)
    )
    return await _infos(session, result.scalars())


async def active(session: AsyncSession) -> list[InterestInfo]:
    """The interests that may be chosen now, in their order."""
    result = await session.execute(
        select(Interest).where(Interest.retired_at.is_(None)).order_by(Interest.position)
    )
    return await _infos(session, result.scalars())


async def find(session: AsyncSession, interest_id: int) -> InterestInfo | None:
    interest = await session.get(Interest, interest_id, populate_existing=True)
    return await _info(session, interest) if interest else None


async def names_in(
    session: AsyncSession, interest_ids: tuple[int, ...], language: str
) -> list[str]:
    """The names of these interests in `language`, in the order volunteers see them."""
    if not interest_ids:
        return []
    result = await session.execute(
        select(Interest).where(Interest.id.in_(interest_ids)).order_by(Interest.position)
    )
    return [info.name(language) for info in await _infos(session, result.scalars())]


def _slug_base(names: Mapping[str, str]) -> str:
    # The default language's name first: every interest is given one.
    name = next((names[lang] for lang in LANGUAGES if names.get(lang)), "")
    spelled = unicodedata.normalize("NFKD", name.lower().translate(_SPELLED_OUT))
    ascii_only = spelled.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:30] or "interest"


async def _free_slug(session: AsyncSession, names: Mapping[str, str]) -> str:
    base = _slug_base(names)
    slug, number = base, 1
    while await session.scalar(select(Interest.id).where(Interest.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


async def _set_names(session: AsyncSession, interest_id: int, names: Mapping[str, str]) -> None:
    """Set the interest's name in each language of `names`; other languages keep theirs."""
    await session.execute(
        delete(InterestName).where(
            InterestName.interest_id == interest_id, InterestName.language.in_(list(names))
        )
    )
    session.add_all(
        InterestName(interest_id=interest_id, language=language, name=name)
        for language, name in names.items()
    )
    await session.flush()


async def add(session: AsyncSession, names: Mapping[str, str]) -> InterestInfo:
    """A new interest, last in the order, named in each language of `names`."""
    position = (await session.scalar(select(func.max(Interest.position)))) or 0
    interest = Interest(slug=await _free_slug(session, names), position=position + 1)
    session.add(interest)
    await session.flush()
    await _set_names(session, interest.id, names)
    return await _info(session, interest)


async def rename(
    session: AsyncSession, interest_id: int, names: Mapping[str, str]
) -> InterestInfo | None:
    """New names for an interest; its slug stays, so references to it do not move."""
    interest = await session.get(Interest, interest_id)
    if interest is None:
        return None
    await _set_names(session, interest_id, names)
    return await _info(session, interest)


async def retire(session: AsyncSession, interest_id: int, *, now: datetime) -> InterestInfo | None:
    """Hide an interest from new choices; volunteers and activities keep it as history."""
    interest = await session.get(Interest, interest_id)
    if interest is None:
        return None
    if interest.retired_at is None:
        interest.retired_at = now
    await session.flush()
    return await _info(session, interest)
