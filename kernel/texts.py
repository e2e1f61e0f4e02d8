"""Every user-visible text, from one catalogue per language (kernel/locales/<lang>.toml)."""

from __future__ import annotations

import html
import string
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources

LANGUAGES = ("da", "en")
# More names than this in one list read as a wall: the rest are counted instead.
NAMES_SHOWN = 8


class Markup(str):
    """An HTML fragment we built ourselves; inserted into a text without escaping."""


class _CatalogueFormatter(string.Formatter):
    """str.format, plus forms by count: `{count:# borger|# borgere}`.

    A placeholder whose format spec holds "|" picks one of its forms by the number it is given,
    and "#" in the form stands for the number: two forms are one|other (1 borger, 0 borgere,
    5 borgere), three are zero|one|other ("Ingen frivillige|# frivillig|# frivillige"). Danish
    and English both use the singular for exactly 1 only."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"forms by count need a whole number, not {value!r}")
        return plural_form(format_spec, value).replace("#", str(value))


def plural_form(format_spec: str, count: int) -> str:
    """The form of `format_spec` ("one|other" or "zero|one|other") that fits `count`."""
    forms = format_spec.split("|")
    if len(forms) == 3:
        zero, one, other = forms
        return zero if count == 0 else one if count == 1 else other
    if len(forms) == 2:
        one, other = forms
        return one if count == 1 else other
    raise ValueError(f"forms by count are one|other or zero|one|other, not {format_spec!r}")


_FORMATTER = _CatalogueFormatter()


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat |= _flatten(value, f"{key}.")
        elif isinstance(value, str):
            flat[key] = value.strip("\n")
        else:
            raise TypeError(f"text {key} must be a string")
    return flat


def load_catalogues() -> dict[str, dict[str, str]]:
    folder = resources.files("kernel") / "locales"
    return {
        language: _flatten(tomllib.loads((folder / f"{language}.toml").read_text("utf-8")))
        for language in LANGUAGES
    }


def pick_language(chosen: str | None, telegram_language: str | None, default: str) -> str:
    """The person's own choice first, then their Telegram app's language, then the default."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_language:
        code = telegram_language.lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return default


class Texts:
    """Looks texts up by key (`journey.step.meaning`) and fills in escaped values."""

    def __init__(self, catalogues: Mapping[str, Mapping[str, str]]) -> None:
        self._catalogues = catalogues

    @classmethod
    def load(cls) -> Texts:
        return cls(load_catalogues())

    def template(self, language: str, key: str) -> str:
        return self._catalogues[language][key]

    def plain(self, language: str, key: str, /, **values: object) -> str:
        """The text for `key` where no HTML is read: button labels, alerts."""
        return _FORMATTER.format(self._catalogues[language][key], **values)

    def get(self, language: str, key: str, /, **values: object) -> str:
        """The text for `key`, with values HTML-escaped unless they are Markup."""
        template = self._catalogues[language][key]
        if not values:
            return template
        # Numbers stay numbers, so a placeholder with forms by count can pick its form.
        safe = {
            name: value if isinstance(value, Markup | int) else html.escape(str(value), quote=False)
            for name, value in values.items()
        }
        return _FORMATTER.format(template, **safe)

    def names(
        self,
        language: str,
        names: Sequence[str],
        *,
        most: int = NAMES_SHOWN,
        total: int | None = None,
    ) -> Markup:
        """People's names as a sentence lists them ("Mette, Ali og Søren"), escaped; past
        `most` names the rest are counted ("… og 3 flere"), so a list stays short. `total`:
        how many people there are when `names` holds only the first few (read with a LIMIT)."""
        escaped = [html.escape(name, quote=False) for name in names]
        count = len(escaped) if total is None else max(total, len(escaped))
        shown, rest = escaped[:most], count - min(most, len(escaped))
        if rest > 0:
            listed = Markup(", ".join(shown))
            return Markup(self.get(language, "common.names_and_more", names=listed, count=rest))
        if len(shown) <= 1:
            return Markup("".join(shown))
        return Markup(
            self.get(
                language,
                "common.names_and",
                names=Markup(", ".join(shown[:-1])),
                last=Markup(shown[-1]),
            )
        )
