"""The support persons' buttons: `bk:do:…` and `cz:add` keep the strings already in chats
(and the one the sign-up sends), every kind parses back, and forged data is refused."""

from __future__ import annotations

import pytest

from kernel.buttons.bookings import (
    BookCitizen,
    BookingsAnew,
    BookingsPage,
    CancelBooking,
    CancelBookingConfirmed,
    KeepBooking,
    MyBookingsPage,
    PickCitizen,
)
from kernel.buttons.citizens import (
    AddCitizen,
    CitizenAgreed,
    CitizenNotYet,
    KeepCitizen,
    RemoveCitizen,
    RemoveCitizenConfirmed,
)
from kernel.callback_data import CallbackData

KINDS: list[type[CallbackData]] = [
    BookCitizen,
    BookingsAnew,
    BookingsPage,
    CancelBooking,
    CancelBookingConfirmed,
    KeepBooking,
    MyBookingsPage,
    PickCitizen,
    AddCitizen,
    CitizenAgreed,
    CitizenNotYet,
    KeepCitizen,
    RemoveCitizen,
    RemoveCitizenConfirmed,
]


@pytest.mark.parametrize(
    ("button", "packed"),
    [
        (BookCitizen.of(42, 3, 7), "bk:do:42:3:7"),
        (AddCitizen(), "cz:add"),
        (BookingsPage(2), "bkl:2"),
        (BookingsAnew(), "bkn"),
        (PickCitizen(42, 3), "bkp:42:3"),
        (CancelBooking(42, 7, 2), "bkc:42:7:2"),
        (CancelBookingConfirmed(42, 7, 2), "bkcy:42:7:2"),
        (KeepBooking(1), "bkk:1"),
        (MyBookingsPage(3), "bkm:3"),
        (CitizenAgreed(), "cza"),
        (CitizenNotYet(), "czn"),
        (RemoveCitizen(7), "czr:7"),
        (RemoveCitizenConfirmed(7), "czry:7"),
        (KeepCitizen(), "czk"),
    ],
)
def test_each_button_packs_and_parses_back(button: CallbackData, packed: str) -> None:
    assert button.pack() == packed
    assert type(button).parse(packed) == button
    assert [kind for kind in KINDS if kind.matches(packed)] == [type(button)]


@pytest.mark.parametrize(
    "forged",
    [
        "bk:do:42:3",
        "bk:do:42:3:7:1",
        "bk:do:42:-:7",
        "bk:pick:42:3",
        "bk:undo:42:3:7",
        "bk:do:x:3:7",
        "bkp:42",
        "bkl:two",
        "bkn:1",
        "cz:remove",
        "cz:add:1",
        "czr:x",
        "czry:-",
        None,
    ],
)
def test_forged_data_is_no_support_button(forged: object) -> None:
    assert not any(kind.matches(forged) for kind in KINDS)
