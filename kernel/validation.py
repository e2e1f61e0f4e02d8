"""Checks for what people type: names, phone numbers, e-mail addresses, campaign codes."""

from __future__ import annotations

import re
import unicodedata
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


# Control, format (zero-width, direction overrides), surrogate, private-use and unassigned
# characters: invisible or reordering in a chat, and NUL breaks PostgreSQL's text columns.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_ZERO_WIDTH_JOINER = "\u200d"
INVISIBLE = "invisible"


def _joins_emoji(text: str, index: int) -> bool:
    """A zero-width joiner between two emoji builds one emoji (👩‍🍳): that one is visible."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return bool(before and after) and all(
        unicodedata.category(char) in ("So", "Sk", "Mn") for char in (before, after)
    )


def visible_text(text: str) -> str | Invalid:
    """`text` in Unicode's composed form (NFC), or Invalid when it holds characters a reader
    cannot see or that reorder what they see. Line breaks and tabs are whitespace, which the
    callers tidy."""
    composed = unicodedata.normalize("NFC", text)
    for index, char in enumerate(composed):
        if char in "\n\t\r" or unicodedata.category(char) not in _HIDDEN_CATEGORIES:
            continue
        if char == _ZERO_WIDTH_JOINER and _joins_emoji(composed, index):
            continue
        return Invalid(INVISIBLE)
    return composed


def clean_name(text: str) -> str | Invalid:
    visible = visible_text(text)
    if isinstance(visible, Invalid):
        return visible
    name = " ".join(visible.split())
    if not name:
        return Invalid("empty")
    if len(name) > NAME_MAX:
        return Invalid("too_long")
    if _NAME_FORBIDDEN.search(name) or not any(char.isalpha() for char in name):
        return Invalid("not_a_name")
    return name


# A first name, optionally with an initial to tell two apart ("Ida B."), as the bot suggests.
_INITIAL = re.compile(r"^[^\W\d_]{1,2}\.?$")


def clean_first_name(text: str) -> str | Invalid:
    """One first name (hyphenated names are one), optionally followed by an initial."""
    name = clean_name(text)
    if isinstance(name, Invalid):
        return name
    rest = name.split(" ")[1:]
    if len(rest) > 1 or (rest and not _INITIAL.match(rest[0])):
        return Invalid("not_only_a_first_name")
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


_DURATION = re.compile(
    r"^(?P<number>\d{1,3}(?:[.,]\d{1,2})?)\s*"
    r"(?P<unit>m|min|mins|minut|minutter|minutes?|t|h|hr|hrs|time|timer|hours?)?$"
)
DURATION_MIN, DURATION_MAX = 15, 12 * 60


def clean_duration(text: str) -> int | Invalid:
    """Minutes from '90', '90 min', '2 timer', '1,5 t', '2h'; a bare number up to 12 is hours."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        return Invalid("not_a_duration")
    number = float(match["number"].replace(",", "."))
    unit = match["unit"] or ("h" if number <= 12 else "m")
    minutes = round(number * 60) if unit[0] in "th" else round(number)
    if not DURATION_MIN <= minutes <= DURATION_MAX:
        return Invalid("duration_out_of_range")
    return minutes


def clean_count(text: str, *, lowest: int, highest: int) -> int | Invalid:
    """A whole number of people within the range that makes sense for the question."""
    raw = text.strip()
    if not raw.isdigit() or len(raw) > 4:
        return Invalid("not_a_number")
    number = int(raw)
    if not lowest <= number <= highest:
        return Invalid("out_of_range")
    return number


def clean_line(text: str, *, longest: int) -> str | Invalid:
    """A one-line answer such as a title or a place: tidied, not empty, not too long."""
    visible = visible_text(text)
    if isinstance(visible, Invalid):
        return visible
    line = " ".join(visible.split())
    if not line:
        return Invalid("empty")
    if len(line) > longest:
        return Invalid("too_long")
    return line


def clean_paragraph(text: str, *, longest: int) -> str | Invalid:
    """A short free text such as a description: line breaks kept, not too long."""
    visible = visible_text(text)
    if isinstance(visible, Invalid):
        return visible
    paragraph = "\n".join(" ".join(line.split()) for line in visible.strip().splitlines()).strip()
    if not paragraph:
        return Invalid("empty")
    if len(paragraph) > longest:
        return Invalid("too_long")
    return paragraph
