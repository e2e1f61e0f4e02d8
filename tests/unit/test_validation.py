"""What people type: names, phone numbers, e-mail addresses, campaign codes."""

from __future__ import annotations

import pytest

from kernel.validation import (
    Invalid,
    clean_campaign,
    clean_email,
    clean_line,
    clean_name,
    clean_paragraph,
    clean_phone,
    format_phone,
    visible_text,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20 12 34 56", "+4520123456"),
        ("+45 20 12 34 56", "+4520123456"),
        ("0045 20123456", "+4520123456"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed: str, stored: str) -> None:
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "hello", "+45 1", "2" * 50, ""])
def test_impossible_phone_numbers_are_refused(typed: str) -> None:
    assert clean_phone(typed) == Invalid("not_a_phone")


def test_a_shared_contact_number_without_plus_is_international() -> None:
    assert clean_phone("4520123456", from_contact=True) == "+4520123456"
    assert format_phone("+4520123456") == "+45 20 12 34 56"


def test_names_are_tidied_and_nonsense_refused() -> None:
    assert clean_name("  Mette   Marie  Hansen ") == "Mette Marie Hansen"
    assert clean_name("Søren O'Brien-Jørgensen") == "Søren O'Brien-Jørgensen"
    assert clean_name("   ") == Invalid("empty")
    assert clean_name("x" * 81) == Invalid("too_long")
    assert clean_name("12345") == Invalid("not_a_name")
    assert clean_name("<b>hi</b>") == Invalid("not_a_name")


def test_email_addresses_are_checked_and_normalised() -> None:
    assert clean_email(" Mette@Example.DK ") == "Mette@example.dk"
    assert clean_email("mette@") == Invalid("not_an_email")
    assert clean_email("a b@example.dk") == Invalid("not_an_email")


def test_only_valid_deep_link_payloads_count_as_campaigns() -> None:
    assert clean_campaign("facebook_2026-spring") == "facebook_2026-spring"
    assert clean_campaign("has space") is None
    assert clean_campaign("x" * 65) is None
    assert clean_campaign(None) is None


@pytest.mark.parametrize(
    "typed",
    [
        "Ida\u200b",  # zero-width space
        "\u200b",
        "Pe\u202eter",  # right-to-left override
        "a\u2066b",  # left-to-right isolate
        "Pe\x00ter",  # NUL
        "bell\x07",
        "soft\u00adhyphen",
        "private\ue000use",
    ],
)
def test_characters_a_reader_cannot_see_are_refused(typed: str) -> None:
    assert visible_text(typed) == Invalid("invisible")
    assert clean_name(typed) == Invalid("invisible")
    assert clean_line(typed, longest=80) == Invalid("invisible")
    assert clean_paragraph(typed, longest=80) == Invalid("invisible")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Ja\u0308ger", "J\u00e4ger"),  # decomposed letters are composed (NFC)
        ("Kaffe ☕️ og kage", "Kaffe ☕️ og kage"),  # variation selector
        ("Køkken 👩\u200d🍳", "Køkken 👩\u200d🍳"),  # a joiner inside one emoji
        ("Linje ét\nlinje to", "Linje ét\nlinje to"),
    ],
)
def test_ordinary_text_is_kept_and_composed(typed: str, kept: str) -> None:
    assert visible_text(typed) == kept


def test_a_joiner_between_letters_is_refused() -> None:
    assert visible_text("x\u200dy") == Invalid("invisible")
