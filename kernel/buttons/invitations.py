"""The buttons of invitations and support persons' requests.

`inv:<verb>:<id>` is a coordinator's /invite menu (new link for a role, revoke one);
`spr:<yes|no>:<person id>` a coordinator's answer to a support person's request; `cs:<verb>`
the steps of a coordinator's registration by link. Never trusted: the service re-reads the
role of whoever pressed and the row the id points at.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class InviteVerb(enum.Enum):
    COORDINATOR = "coord"
    SUPPORT = "support"
    REVOKE = "revoke"


@dataclass(frozen=True)
class InviteButton(CallbackData, prefix="inv"):
    verb: InviteVerb
    invitation_id: int | None = None


class RequestChoice(enum.Enum):
    APPROVE = "yes"
    DECLINE = "no"


@dataclass(frozen=True)
class RequestDecision(CallbackData, prefix="spr"):
    choice: RequestChoice
    person_id: int


class JoinVerb(enum.Enum):
    START = "start"
    AGREE = "yes"
    DECLINE = "no"


@dataclass(frozen=True)
class CoordinatorJoin(CallbackData, prefix="cs"):
    verb: JoinVerb
