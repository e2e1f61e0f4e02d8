"""The buttons of the sign-up journeys: the volunteer's sign-up and /profile (`su:`), the
support person's registration (`sp:`, and `start:support` on the welcome), and the renewed
consent question (`cr:`).

The packed strings are those the bot always sent ("su:confirm", "su:int:12", "sp:edit:phone"),
so buttons already in people's chats keep working. Each journey has one kind: a verb, and for
some verbs a value; a verb without a value packs without the trailing field.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from kernel.callback_data import SEPARATOR, CallbackData

# What a verb accepts as its value: None when it takes no value.
ValueCheck = Callable[[str], bool] | None
_NO_VALUE = "-"  # how CallbackData packs None


def one_of(*values: str) -> Callable[[str], bool]:
    """A value check accepting exactly these values."""
    return frozenset(values).__contains__


def _number(longest: int) -> Callable[[str], bool]:
    return lambda value: value.isascii() and value.isdigit() and len(value) <= longest


class _VerbButton:
    """Mixin for a journey's one button kind: `verb` (an enum) and an optional `value` whose
    allowed form depends on the verb (VALUES). Anything else parses as None."""

    VALUES: ClassVar[Mapping[Any, ValueCheck]]
    verb: Any
    value: str | None

    def pack(self) -> str:
        packed: str = super().pack()  # type: ignore[misc]
        # A verb without a value keeps the short form the bot always sent.
        return packed.removesuffix(SEPARATOR + _NO_VALUE) if self.value is None else packed

    @classmethod
    def parse(cls, data: object) -> Self | None:
        if isinstance(data, str) and data.count(SEPARATOR) == 1:
            data = data + SEPARATOR + _NO_VALUE
        parsed = super().parse(data)  # type: ignore[misc]
        if parsed is None or not cls._allowed(parsed.verb, parsed.value):
            return None
        return parsed  # type: ignore[no-any-return]

    @classmethod
    def _allowed(cls, verb: Any, value: str | None) -> bool:
        check = cls.VALUES.get(verb)
        if check is None:
            return value is None
        return value is not None and check(value)

    @classmethod
    def where(cls, *verbs: Any, value: str | None = None) -> Callable[[object], bool]:
        """A handler pattern: buttons of these verbs (with this value, when given)."""

        def matches(data: object) -> bool:
            parsed = cls.parse(data)
            return (
                parsed is not None
                and parsed.verb in verbs
                and (value is None or parsed.value == value)
            )

        return matches


# --- The volunteer's sign-up and /profile ---------------------------------------------------


class SignupVerb(enum.Enum):
    START = "start"
    RESUME = "resume"
    NAME = "name"  # "tg": use the name Telegram knows
    CONSENT = "consent"  # yes, no, young
    EMAIL = "email"  # skip
    INTEREST = "int"  # an interest's id, or done
    DAY = "day"  # 0 (Monday) to 6
    PART = "part"  # morning, afternoon, evening
    AVAILABILITY = "avail"  # done
    CONFIRM = "confirm"
    CHANGE = "change"
    REVIEW = "review"
    CLOSE = "close"
    EDIT = "edit"  # the step to answer again


DONE = "done"
PARTS_OF_DAY = ("morning", "afternoon", "evening")
VOLUNTEER_FIELDS = ("name", "phone", "email", "interests", "availability")


@dataclass(frozen=True)
class SignupButton(_VerbButton, CallbackData, prefix="su"):
    """A button of the volunteer's sign-up or profile, e.g. `su:confirm`, `su:day:0`."""

    verb: SignupVerb
    value: str | None = None

    VALUES: ClassVar[Mapping[Any, ValueCheck]] = {
        SignupVerb.NAME: one_of("tg"),
        SignupVerb.CONSENT: one_of("yes", "no", "young"),
        SignupVerb.EMAIL: one_of("skip"),
        SignupVerb.INTEREST: lambda value: value == DONE or _number(9)(value),
        SignupVerb.DAY: one_of(*(str(day) for day in range(7))),
        SignupVerb.PART: one_of(*PARTS_OF_DAY),
        SignupVerb.AVAILABILITY: one_of(DONE),
        SignupVerb.EDIT: lambda value: value.isidentifier(),
    }

    @property
    def number(self) -> int:
        """The value as a number (an interest's id, a weekday)."""
        assert self.value is not None
        return int(self.value)


# --- The support person's registration ------------------------------------------------------


class SupportVerb(enum.Enum):
    RESUME = "resume"
    REVIEW = "review"
    CONSENT = "consent"  # yes, no
    ORGANISATION = "org"  # relative
    CONFIRM = "confirm"
    CHANGE = "change"
    CLOSE = "close"
    EDIT = "edit"  # the step to answer again


@dataclass(frozen=True)
class SupportButton(_VerbButton, CallbackData, prefix="sp"):
    """A button of the support person's registration or details, e.g. `sp:edit:phone`."""

    verb: SupportVerb
    value: str | None = None

    VALUES: ClassVar[Mapping[Any, ValueCheck]] = {
        SupportVerb.CONSENT: one_of("yes", "no"),
        SupportVerb.ORGANISATION: one_of("relative"),
        SupportVerb.EDIT: lambda value: value.isidentifier(),
    }


class StartChoice(enum.Enum):
    SUPPORT = "support"


@dataclass(frozen=True)
class StartButton(CallbackData, prefix="start"):
    """The welcome's 'I am a support person' (`start:support`)."""

    choice: StartChoice


# --- The renewed consent question -----------------------------------------------------------


class RenewalAnswer(enum.Enum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class RenewalButton(CallbackData, prefix="cr"):
    """Agreeing to (`cr:yes`) or declining (`cr:no`) a newer consent text."""

    answer: RenewalAnswer
