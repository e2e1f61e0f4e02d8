"""The volunteer consent text: which version is current and what exactly was shown."""

from __future__ import annotations

import hashlib

from bot.texts import Texts
from storage.consent import ConsentText

PURPOSE = "volunteer_contact"
LEGAL_BASIS = "GDPR art. 6(1)(a): consent"
CURRENT_VERSION = 1
TEXT_KEY = "signup.consent.ask"

# sha256 of each language's consent template per version. Changing the text changes its hash,
# and a unit test then fails until the version is bumped and the new hashes are added here:
# volunteers who agreed to an older version are asked again.
TEMPLATE_SHA256 = {
    1: {
        "da": "f849e05d5cae17798c8ea4309ec773d28ed454331ae3092da703c56060e4e388",
        "en": "bc3a92a5a30c97bbad2d6d75e02559116c9d3fafcc14752e741543007003d3bd",
    },
}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(texts: Texts, language: str, *, retention_months: int) -> str:
    """The consent text exactly as the person sees it."""
    return texts.get(language, TEXT_KEY, months=retention_months)


def shown(texts: Texts, language: str, *, retention_months: int) -> ConsentText:
    """What the ledger records about the text a person decided on."""
    return ConsentText(
        purpose=PURPOSE,
        version=CURRENT_VERSION,
        sha256=sha256(render(texts, language, retention_months=retention_months)),
        language=language,
        legal_basis=LEGAL_BASIS,
    )
