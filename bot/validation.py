"""Checks for what people type: names, phone numbers, e-mail addresses, campaign codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

NAME_MAX = 80
EMAIL_MAX = 254
_NAME_FORBIDDEN = re.compile(r"[0-9<>@/\\{}\[\]#=_*~|$%&+]")
_CAMPAIGN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Invalid:
    """Why an answer was refused: the key of the text that explains it kindly."""

    reason: str


def clean_name(text: str) -> str | Invalid:
    name = " ".join(text.split())
    if not name:
        return Invalid("empty")
    if len(name) > NAME_MAX:
        return Invalid("too_long")
    if _NAME_FORBIDDEN.search(name) or not any(char.isalpha() for char in name):
        return Invalid("not_a_name")
    return name


def clean_phone(text: str, *, region: str = "DK", from_contact: bool = False) -> str | Invalid:
    """A phone number in E.164; Danish numbers may be typed without +45."""
    raw = text.strip()
    if from_contact and raw and not raw.startswith("+"):
        # Telegram hands over contact numbers in international form without the plus.
        raw = "+" + raw
    if len(raw) > 40:
        return Invalid("not_a_phone")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return Invalid("not_a_phone")
    if not phonenumbers.is_valid_number(number):
        return Invalid("not_a_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored number as people read it: +45 20 12 34 56."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_email(text: str) -> str | Invalid:
    candidate = text.strip()
    if not candidate or len(candidate) > EMAIL_MAX or " " in candidate:
        return Invalid("not_an_email")
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return Invalid("not_an_email")
    return result.normalized


def clean_campaign(payload: str | None) -> str | None:
    """A deep-link payload worth recording, or None: Telegram allows [A-Za-z0-9_-]{1,64}."""
    if payload and _CAMPAIGN.match(payload):
        return payload
    return None
