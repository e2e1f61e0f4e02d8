"""The buttons of booking citizens into activities: /book, /bookings and cancelling.

Every value is untrusted: handlers re-read the activity, and look the citizen up only among
the presser's own citizens.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData


@dataclass(frozen=True)
class BookingsPage(CallbackData, prefix="bkl"):
    """A page of the list of activities to book, redrawn in the same message."""

    page: int


@dataclass(frozen=True)
class BookingsAnew(CallbackData, prefix="bkn"):
    """'Book an activity' under another message: the list comes as a new message."""


@dataclass(frozen=True)
class PickCitizen(CallbackData, prefix="bkp"):
    """Book into this activity, as it was when shown: which citizen should come?"""

    activity_id: int
    version: int


class BookStep(enum.Enum):
    """The only step of `BookCitizen`: kept in the data so that `bk:do:…` buttons already
    in chats go on working."""

    DO = "do"


@dataclass(frozen=True)
class BookCitizen(CallbackData, prefix="bk"):
    """Book this citizen into the activity, as it was when shown: `bk:do:42:3:7`."""

    step: BookStep
    activity_id: int
    version: int
    citizen_id: int

    @classmethod
    def of(cls, activity_id: int, version: int, citizen_id: int) -> BookCitizen:
        return cls(BookStep.DO, activity_id, version, citizen_id)


@dataclass(frozen=True)
class MyBookingsPage(CallbackData, prefix="bkm"):
    """A page of /bookings, redrawn in the same message."""

    page: int


# The three below carry the page of /bookings they were pressed on: the list is drawn again
# at that page afterwards.


@dataclass(frozen=True)
class CancelBooking(CallbackData, prefix="bkc"):
    """Cancel this citizen's booking? (asks first)"""

    activity_id: int
    citizen_id: int
    page: int


@dataclass(frozen=True)
class CancelBookingConfirmed(CallbackData, prefix="bkcy"):
    """Yes, cancel this citizen's booking."""

    activity_id: int
    citizen_id: int
    page: int


@dataclass(frozen=True)
class KeepBooking(CallbackData, prefix="bkk"):
    """No, keep the booking."""

    page: int
