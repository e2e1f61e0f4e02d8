"""The catalogues: same keys in Danish and English, every key used, consent text versioned."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from kernel.texts import LANGUAGES, Markup, Texts, load_catalogues, pick_language
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
