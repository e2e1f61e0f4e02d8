"""The catalogues: same keys in Danish and English, every key used, consent text versioned."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kernel.texts import (
    LANGUAGES,
    Markup,
    Texts,
    load_catalogues,
    pick_language,
    plural_form,
)
from services import consent_texts as consent

ROOT = Path(__file__).resolve().parents[2]
CODE_FOLDERS = ("bot", "playground", "handlers", "scheduler", "services", "storage", "kernel")


def string_literals(folders: tuple[str, ...] = CODE_FOLDERS) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_exactly_the_same_keys() -> None:
    catalogues = load_catalogues()
    danish, english = set(catalogues["da"]), set(catalogues["en"])
    assert danish - english == set(), "missing in English"
    assert english - danish == set(), "missing in Danish"


def test_every_key_is_used_in_the_code() -> None:
    keys = set(load_catalogues()["da"])
    unused = keys - string_literals()
    assert unused == set()


def test_every_key_the_code_names_exists() -> None:
    keys = set(load_catalogues()["en"])
    prefixes = {key.split(".", 1)[0] for key in keys}
    # storage/ is left out: its "table.column" strings (foreign keys) look like keys.
    named = {
        literal
        for literal in string_literals(
            ("bot", "playground", "handlers", "scheduler", "services", "kernel")
        )
        if "." in literal
        and " " not in literal
        and literal.split(".", 1)[0] in prefixes
        and all(part.isidentifier() for part in literal.split("."))
    }
    assert named - keys == set()


def test_translations_use_the_same_placeholders() -> None:
    catalogues = load_catalogues()
    for key, danish in catalogues["da"].items():
        assert placeholders(danish) == placeholders(catalogues["en"][key]), key


def test_values_are_escaped_unless_marked_as_our_own_markup() -> None:
    texts = Texts({"en": {"k": "<b>{name}</b> {extra}"}})

    assert texts.get("en", "k", name="<Mette & Ali>", extra=Markup("<i>x</i>")) == (
        "<b>&lt;Mette &amp; Ali&gt;</b> <i>x</i>"
    )


def test_language_follows_choice_then_telegram_then_default() -> None:
    assert pick_language("en", "da", "da") == "en"
    assert pick_language(None, "en-GB", "da") == "en"
    assert pick_language(None, "de", "da") == "da"
    assert pick_language(None, None, "en") == "en"


def test_no_consent_text_can_change_without_a_new_version() -> None:
    texts = Texts.load()
    for template in consent.TEMPLATES:
        registered = template.template_sha256[template.current_version]
        for language in LANGUAGES:
            current = consent.sha256(texts.template(language, template.text_key))
            assert current == registered[language], (
                f"The {language} text {template.text_key} changed: bump its current_version "
                "in bot/consent.py and register the new hashes, so people are asked again."
            )


# Plural nouns (and "andre", which counts people) that read wrong after the number 1.
PLURAL_NOUNS = {
    "da": {
        "borgere", "frivillige", "pladser", "frivilligpladser", "dage", "gange", "uger",
        "måneder", "timer", "minutter", "aktiviteter", "personer", "tilmeldinger", "datoer",
        "støttepersoner", "andre", "flere", "svar",
    },
    "en": {
        "citizens", "volunteers", "places", "seats", "days", "times", "weeks", "months", "hours",
        "minutes", "activities", "people", "persons", "bookings", "dates", "characters",
        "others", "answers",
    },
}  # fmt: skip
# Texts where the number is never 1, or that may not change on their own.
NEVER_ONE = {
    # The retention period is years in practice; the consent texts are versioned, and a new
    # version asks everyone again.
    "signup.consent.ask": "months",
    "support.consent.ask": "months",
    # Only said of a series, which has two dates or more.
    "activity.new.series": "count",
    # Said for two or more: activity.company.one is the text for exactly one.
    "activity.company.many": "count",
}


def test_a_number_before_a_plural_noun_has_forms_by_count() -> None:
    """ "1 borgere tilmeldt" cannot happen: a number placeholder followed by a plural noun
    (perhaps after one word, "{count} andre frivillige") must be written with forms by count,
    `{count:# borger|# borgere}`."""
    pattern = re.compile(r"\{(\w+)\} +(\w+)(?: +(\w+))?")
    bare = []
    for language, catalogue in load_catalogues().items():
        for key, template in catalogue.items():
            for name, *words in pattern.findall(template):
                nouns = {word.lower() for word in words} & PLURAL_NOUNS[language]
                if nouns and NEVER_ONE.get(key) != name:
                    bare.append(f"{language} {key}: {{{name}}} … {', '.join(sorted(nouns))}")
    assert bare == []


def test_forms_by_count_pick_one_other_and_zero() -> None:
    template = "{n:# borger|# borgere} tilmeldt, {m:ingen frivillige|1 frivillig|# frivillige}"
    texts = Texts({"da": {"k": template}})

    assert texts.get("da", "k", n=1, m=0) == "1 borger tilmeldt, ingen frivillige"
    assert texts.get("da", "k", n=0, m=1) == "0 borgere tilmeldt, 1 frivillig"
    assert texts.get("da", "k", n=2, m=5) == "2 borgere tilmeldt, 5 frivillige"
    assert texts.plain("da", "k", n=21, m=2) == "21 borgere tilmeldt, 2 frivillige"


def test_forms_by_count_need_a_whole_number() -> None:
    texts = Texts({"en": {"k": "{n:# citizen|# citizens}"}})

    with pytest.raises(TypeError):
        texts.get("en", "k", n="1")


def test_every_text_with_forms_by_count_is_well_formed() -> None:
    """Two forms (one|other) or three (zero|one|other), each form saying the number or a word
    for it, and the placeholder with forms in one language is a placeholder in the other."""
    catalogues = load_catalogues()
    for language, catalogue in catalogues.items():
        for key, template in catalogue.items():
            for _, name, spec, _ in string.Formatter().parse(template):
                if name and spec and "|" in spec:
                    assert len(spec.split("|")) in (2, 3), f"{language} {key}"
                    for count in (0, 1, 2, 5):
                        assert plural_form(spec, count), f"{language} {key}"
                    assert name in placeholders(catalogues["da" if language == "en" else "en"][key])


def test_every_text_fills_in_with_numbers_in_both_languages() -> None:
    """Each text, given a number for each placeholder, formats in both languages: a stray
    brace or a malformed form fails here, not in front of a person."""
    texts = Texts.load()
    for language, catalogue in load_catalogues().items():
        for key, template in catalogue.items():
            names = placeholders(template)
            for count in (0, 1, 3):
                texts.get(language, key, **dict.fromkeys(names, count))
