"""The buttons of /language: one per language Sammen speaks."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.callback_data import CallbackData


@dataclass(frozen=True)
class LanguageButton(CallbackData, prefix="lang"):
    """A language to speak, e.g. `lang:da`; the handler still checks Sammen speaks it."""

    code: str
