"""The volunteer's »Who's coming« button: the booked citizens' first names and needs.

The activity id is untrusted: the service shows anything only to a volunteer joined to that
activity at the moment of the press, inside the window before and during it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kernel.callback_data import CallbackData


@dataclass(frozen=True)
class WhosComing(CallbackData, prefix="who"):
    """`who:<activity id>`: who is coming to this activity, and what they need on the day."""

    activity_id: int


@dataclass(frozen=True)
class NeedAdd(CallbackData, prefix="nda"):
    """A coordinator adds a need to the list."""


@dataclass(frozen=True)
class NeedRetire(CallbackData, prefix="ndr"):
    """A coordinator retires a need coordinators added (the id is checked in the service)."""

    need_id: int
