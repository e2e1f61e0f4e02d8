"""A citizen's needs on the day, as the volunteers going see them.

Who sees needs, and when: the volunteers joined to an activity, from WINDOW_HOURS before its
start until it ends, on demand, read fresh from the database at each press. Nothing here is
written into a reminder, broadcast or notice: the view is the only way needs reach a volunteer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from kernel.context import Runtime
from kernel.needs import NEED_KEYS, STANDARD_NEEDS, WINDOW_HOURS
from kernel.people import PersonInfo
from services.unit_of_work import unit_of_work
from storage import activities, bookings
from storage import needs as stored_needs
from storage.activities import ActivityInfo
from storage.bookings import CitizenOnTheDay
from storage.needs import AddedNeed

__all__ = [
    "AddedNeed",
    "Catalogue",
    "CitizenOnTheDay",
    "Refusal",
    "Refused",
    "WhoIsComing",
    "add_need",
    "added_needs",
    "catalogue",
    "retire_need",
    "toggled",
    "whos_coming",
]


@dataclass(frozen=True)
class Catalogue:
    """The needs in one language: the standard list (from the catalogues), then those the
    coordinators added. A choice is kept as slugs, and carried in buttons as bits over `order`,
    which keeps retired needs so earlier bits keep their meaning."""

    order: tuple[str, ...]
    offered: tuple[str, ...]
    named: dict[str, str]

    def names(self, needs: tuple[str, ...]) -> list[str]:
        """The needs' names; a need no longer known is left out."""
        return [self.named[need] for need in needs if need in self.named]

    def bits(self, needs: tuple[str, ...]) -> int:
        return sum(1 << self.order.index(need) for need in needs if need in self.order)

    def from_bits(self, bits: int) -> tuple[str, ...]:
        """The needs a choice's bits name; bits beyond the list (forged) mean nothing."""
        return tuple(need for index, need in enumerate(self.order) if bits >> index & 1)


async def catalogue(runtime: Runtime, language: str) -> Catalogue:
    """The needs offered and known, named in `language` (an added need without a name in it
    goes by its name in the other language)."""
    async with unit_of_work(runtime) as session:
        extra = await stored_needs.added(session)
    named = {need: runtime.texts.get(language, key) for need, key in NEED_KEYS.items()}
    for need in extra:
        names = need.names
        named[need.slug] = names.get(language) or next(iter(names.values()), need.slug)
    order = STANDARD_NEEDS + tuple(need.slug for need in extra)
    offered = STANDARD_NEEDS + tuple(need.slug for need in extra if not need.retired)
    return Catalogue(order, offered, named)


async def add_need(
    runtime: Runtime, coordinator: PersonInfo, names: dict[str, str]
) -> AddedNeed | None:
    """A need coordinators add to the list, named in each language. None for anyone else."""
    if not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        return await stored_needs.add(session, names, now=runtime.clock.now())


async def retire_need(runtime: Runtime, coordinator: PersonInfo, need_id: int) -> bool:
    """No longer offered; citizens who have it keep it. False for anyone else, or if gone."""
    if not coordinator.is_coordinator:
        return False
    async with unit_of_work(runtime) as session:
        return await stored_needs.retire(session, need_id, now=runtime.clock.now())


async def added_needs(runtime: Runtime) -> list[AddedNeed]:
    async with unit_of_work(runtime) as session:
        return await stored_needs.added(session)


def toggled(bits: int, need_index: int) -> int:
    return bits ^ (1 << need_index)


class Refused(enum.Enum):
    """Why a volunteer may not see who is coming right now."""

    NOT_JOINED = "not_joined"  # not joined to this activity at this moment (or no such one)
    TOO_EARLY = "too_early"
    ENDED = "ended"


@dataclass(frozen=True)
class Refusal:
    """Refused, and why; the activity only when the volunteer may know when it opens."""

    reason: Refused
    activity: ActivityInfo | None = None


@dataclass(frozen=True)
class WhoIsComing:
    activity: ActivityInfo
    citizens: list[CitizenOnTheDay]


async def whos_coming(
    runtime: Runtime, person: PersonInfo, activity_id: int
) -> WhoIsComing | Refusal:
    """The citizens booked into this activity with their needs, for a volunteer joined to it
    now, from WINDOW_HOURS before the start until it ends. Refused otherwise; TOO_EARLY and
    ENDED come with the activity (the volunteer may see when it opens)."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
        if (
            activity is None
            or not activity.is_published
            or activity.starts_at is None
            or not await bookings.is_joined(session, activity_id, person.id)
        ):
            return Refusal(Refused.NOT_JOINED)
        ends_at = activity.ends_at or activity.starts_at
        if now >= ends_at:
            return Refusal(Refused.ENDED, activity)
        if now < activity.starts_at - timedelta(hours=WINDOW_HOURS):
            return Refusal(Refused.TOO_EARLY, activity)
        return WhoIsComing(activity, await bookings.on_the_day(session, activity_id))
