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
from kernel.texts import Texts
from services.unit_of_work import unit_of_work
from storage import activities, bookings
from storage.activities import ActivityInfo
from storage.bookings import CitizenOnTheDay

__all__ = [
    "CitizenOnTheDay",
    "Refusal",
    "Refused",
    "WhoIsComing",
    "chosen_bits",
    "from_bits",
    "names",
    "toggled",
    "whos_coming",
]


def kinds() -> tuple[str, ...]:
    """The needs offered, in order: the bits of a choice count over this list."""
    return STANDARD_NEEDS


def name_of(texts: Texts, language: str, need: str) -> str:
    return texts.get(language, NEED_KEYS[need])


def names(texts: Texts, language: str, needs: tuple[str, ...]) -> list[str]:
    """The needs' names in this language; a need no longer offered is left out."""
    return [name_of(texts, language, need) for need in needs if need in kinds()]


def chosen_bits(needs: tuple[str, ...]) -> int:
    """A choice of needs as bits over `kinds()`, small enough for a button's data."""
    offered = kinds()
    return sum(1 << offered.index(need) for need in needs if need in offered)


def from_bits(bits: int) -> tuple[str, ...]:
    """The needs a choice's bits name; bits beyond the list (forged) mean nothing."""
    return tuple(need for index, need in enumerate(kinds()) if bits >> index & 1)


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
