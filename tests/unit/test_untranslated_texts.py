"""Every Danish text is Danish: a catalogue value that is the same in English is either
listed here with the reason it needs no translation, or it was forgotten."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

LAYOUT = "only placeholders, punctuation, emoji and HTML: no words to translate"
SHORT_MONTH = "extra month spellings people type; the short forms are the same in both languages"

SAME_IN_BOTH = {
    "when.read.month.1": SHORT_MONTH,
    "when.read.month.2": SHORT_MONTH,
    "when.read.month.3": SHORT_MONTH,
    "when.read.month.4": SHORT_MONTH,
    "when.read.month.6": SHORT_MONTH,
    "when.read.month.7": SHORT_MONTH,
    "when.read.month.8": SHORT_MONTH,
    "when.read.month.9": SHORT_MONTH,
    "when.read.month.11": SHORT_MONTH,
    "when.read.month.12": SHORT_MONTH,
    "when.read.month.5": "no extra spelling of May to read beyond its name, in either language",
    "activity.admin.citizen": "a layout; 'via' is used in Danish as in English",
    "audit.entry": "a layout of values only: time, who, what",
    "team.offer.to": "an arrow and a name",
    "citizens.entry": "a layout: a name and the needs' names, already translated",
    "needs.who.citizen": "a layout: a name and the needs' names, already translated",
    "needs.who.citizen_plain": "a layout: a first name alone",
    "needs.who.note": "a layout: the support person's own note, in their words",
    "activity.admin.description": LAYOUT,
    "activity.admin.manage": LAYOUT,
    "activity.change.date": LAYOUT,
    "activity.admin.person": LAYOUT,
    "activity.reminder.access": LAYOUT,
    "bookings.button.book": "'Book' is the Danish verb too (at booke)",
    "bookings.button.cancel": LAYOUT,
    "bookings.card.body": LAYOUT,
    "bookings.mine_line": LAYOUT,
    "commands.language": "names both languages, each in its own language",
    "common.not_given": "a dash, in both languages",
    "common.page.position": LAYOUT,
    "followup.button.okay": "'Okay' is Danish too",
    "help.body": LAYOUT,
    "interests.one": LAYOUT,
    "plan.preview.details": LAYOUT,
    "profile.button.email": "'E-mail' is the Danish word too",
    "profile.card.availability_value": LAYOUT,
    "stats.row": LAYOUT,
    "support.card": LAYOUT,
}


def catalogue(language: str) -> dict[str, Any]:
    """One language's catalogue, flattened to dotted keys, wherever the locales folder is."""
    [path] = [p for p in ROOT.glob(f"*/locales/{language}.toml") if not p.parts[-3].startswith(".")]
    with path.open("rb") as file:
        return dict(_flatten(tomllib.load(file)))


def _flatten(table: dict[str, Any], prefix: str = ""):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def test_a_danish_text_equal_to_the_english_one_is_on_the_list_with_a_reason() -> None:
    danish, english = catalogue("da"), catalogue("en")
    same = {key for key, value in danish.items() if english.get(key) == value}

    assert len(danish) > 100, "the catalogue was not found: the check would prove nothing"
    assert sorted(same - set(SAME_IN_BOTH)) == [], "untranslated: translate, or list with a reason"
    assert sorted(set(SAME_IN_BOTH) - same) == [], "translated now: take off the list"
    assert all(reason.strip() for reason in SAME_IN_BOTH.values())
