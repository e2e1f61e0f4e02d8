"""A note for volunteers refuses what looks like a CPR number or a phone number, and nothing
an ordinary note about the day says."""

from __future__ import annotations

import pytest

from kernel.needs import NOTE_MAX, clean_note, missing_offers
from kernel.validation import Invalid


@pytest.mark.parametrize(
    ("note", "reason"),
    [
        ("CPR 010190-1234", "cpr"),
        ("0101901234", "cpr"),
        ("311299 1234", "cpr"),
        ("Ring til søsteren på 20 12 34 56", "phone"),
        ("+4520123456", "phone"),
        ("x" * (NOTE_MAX + 1), "too_long"),
        ("   ", "empty"),
    ],
)
def test_identifiers_and_overlong_notes_are_refused(note: str, reason: str) -> None:
    assert clean_note(note) == Invalid(reason)


@pytest.mark.parametrize(
    "note",
    [
        "Tåler ikke gluten",
        "Går 2-3 km",
        "Spiser kl. 12.00",
        "Født i 1950",
        "Kan lide bus nr. 10 og 12",
        "Bor tæt på Vestergade 12, 5000 Odense",
    ],
)
def test_ordinary_notes_are_kept(note: str) -> None:
    assert clean_note(note) == note


def test_an_activity_fits_when_it_offers_what_the_needs_want() -> None:
    assert missing_offers(("wheelchair", "food"), ("step_free", "toilet")) == ()
    assert missing_offers(("wheelchair", "quiet"), ("step_free",)) == ("toilet", "quiet_room")
