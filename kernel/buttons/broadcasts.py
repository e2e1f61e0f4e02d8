"""The buttons of a coordinator's broadcast: the audience, interests to pick, the card's
"message everyone going", and what to do with a previewed or scheduled broadcast. Whatever
they carry is checked again by services.broadcasts (role, ownership, status)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class AudienceChoice(enum.Enum):
    VOLUNTEERS = "volunteers"
    INTERESTS = "interests"
    ACTIVITY = "activity"
    SUPPORT = "support"
    COORDINATORS = "coordinators"


class BroadcastVerb(enum.Enum):
    SEND = "send"
    LATER = "later"
    DISCARD = "discard"
    CANCEL = "cancel"


@dataclass(frozen=True)
class BroadcastAudience(CallbackData, prefix="bca"):
    audience: AudienceChoice


@dataclass(frozen=True)
class BroadcastInterest(CallbackData, prefix="bci"):
    """Toggle one interest; 0: the interests are chosen."""

    interest_id: int


@dataclass(frozen=True)
class BroadcastGoing(CallbackData, prefix="bcg"):
    """On a coordinator's activity card: message everyone going to it."""

    activity_id: int


@dataclass(frozen=True)
class BroadcastAction(CallbackData, prefix="bc"):
    verb: BroadcastVerb
    broadcast_id: int


def action(*verbs: BroadcastVerb) -> Callable[[object], bool]:
    """The handler pattern for some verbs of `BroadcastAction`."""

    def matches(data: object) -> bool:
        pressed = BroadcastAction.parse(data)
        return pressed is not None and pressed.verb in verbs

    return matches
