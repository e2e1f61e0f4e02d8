"""The buttons of the volunteer journey: activity cards, their pages, the calendar, the late
reason, and the after-activity question.

`act:<verb>:<activity id>[:<version>]:<view>` predates typed callback data and sits in chats
already sent (the new-activity notice carries a join button), so `ActivityButton` keeps that
exact string: leave and calendar buttons carry no version at all, and the view is one part
(`l<page>`, `m` or `c`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Self

from kernel.callback_data import MAX_BYTES, SEPARATOR, CallbackData

_NUMBER = re.compile(r"\d{1,12}")
_PAGE = re.compile(r"\d{1,4}")


class Verb(enum.Enum):
    """What an activity button does."""

    JOIN = "join"
    # Join although the volunteer already goes to something at the same time (they were asked).
    JOIN_ANYWAY = "joinx"
    WAIT = "wait"
    LEAVE = "leave"
    CALENDAR = "cal"


class Screen(enum.Enum):
    """Which message a button press redraws afterwards."""

    LIST = "l"
    MINE = "m"
    CARD = "c"


@dataclass(frozen=True)
class View:
    """The screen to redraw; `page` only means something on the list."""

    screen: Screen
    page: int = 1

    @classmethod
    def listing(cls, page: int) -> View:
        return cls(Screen.LIST, page)

    def __str__(self) -> str:
        if self.screen is Screen.LIST:
            return f"{self.screen.value}{self.page}"
        return self.screen.value

    @classmethod
    def parse(cls, raw: str) -> View | None:
        if raw == Screen.MINE.value:
            return cls(Screen.MINE)
        if raw == Screen.CARD.value:
            return cls(Screen.CARD)
        if raw.startswith(Screen.LIST.value) and _PAGE.fullmatch(raw[1:]):
            return cls.listing(int(raw[1:]))
        return None


MINE = View(Screen.MINE)
CARD = View(Screen.CARD)


@dataclass(frozen=True)
class ActivityButton(CallbackData, prefix="act"):
    """A press on one activity: `act:join:42:3:l1`, or unversioned `act:leave:42:m`.

    The version is what the volunteer saw (join and wait refuse an activity edited since);
    None for leave and calendar, which stand whatever changed.
    """

    verb: Verb
    activity_id: int
    version: int | None
    view: View

    def pack(self) -> str:
        parts = [self.prefix, self.verb.value, str(self.activity_id)]
        if self.version is not None:
            parts.append(str(self.version))
        parts.append(str(self.view))
        return SEPARATOR.join(parts)

    @classmethod
    def parse(cls, data: object) -> Self | None:
        # By hand, because the version is left out rather than packed as "-" (see above).
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        parts = data.split(SEPARATOR)
        if len(parts) not in (4, 5) or parts[0] != cls.prefix:
            return None
        verb = next((verb for verb in Verb if verb.value == parts[1]), None)
        numbers = parts[2:-1]
        view = View.parse(parts[-1])
        if verb is None or view is None or not all(_NUMBER.fullmatch(n) for n in numbers):
            return None
        version = int(numbers[1]) if len(numbers) == 2 else None
        return cls(verb, int(numbers[0]), version, view)


@dataclass(frozen=True)
class ActivityPage(CallbackData, prefix="actp"):
    """A page of the volunteer's activity list: `actp:2`."""

    page: int


class CalendarScope(enum.Enum):
    ALL = "all"


@dataclass(frozen=True)
class CalendarAll(CallbackData, prefix="actcal"):
    """Every activity the volunteer joined, as one calendar file: `actcal:all`."""

    scope: CalendarScope = CalendarScope.ALL


class ReasonChoice(enum.Enum):
    SKIP = "skip"


@dataclass(frozen=True)
class LateReason(CallbackData, prefix="actr"):
    """Not giving a reason for leaving late: `actr:skip`."""

    choice: ReasonChoice = ReasonChoice.SKIP


class Answer(enum.Enum):
    """How it went, in one press."""

    GOOD = "good"
    OKAY = "okay"
    BAD = "bad"


@dataclass(frozen=True)
class FollowUpAnswer(CallbackData, prefix="fb"):
    """The answer to "how did it go?": `fb:42:good`."""

    activity_id: int
    answer: Answer
