"""Buttons coordinators press to look after the interest categories (/interests):
`int:<verb>:<interest id>` for one interest, `ints:<choice>` for the overview's own."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class InterestVerb(enum.Enum):
    PICK = "pick"
    RENAME = "rename"
    RETIRE = "retire"


@dataclass(frozen=True)
class InterestAction(CallbackData, prefix="int"):
    verb: InterestVerb
    interest_id: int


class InterestsChoice(enum.Enum):
    ADD = "add"
    LIST = "list"


@dataclass(frozen=True)
class InterestsButton(CallbackData, prefix="ints"):
    choice: InterestsChoice


def interest(*verbs: InterestVerb) -> Callable[[object], bool]:
    """The handler pattern for some verbs of `InterestAction`."""

    def matches(data: object) -> bool:
        pressed = InterestAction.parse(data)
        return pressed is not None and pressed.verb in verbs

    return matches


def interests(choice: InterestsChoice) -> Callable[[object], bool]:
    """The handler pattern for one of the overview's own buttons."""

    def matches(data: object) -> bool:
        pressed = InterestsButton.parse(data)
        return pressed is not None and pressed.choice is choice

    return matches
