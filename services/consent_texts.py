"""The consent texts: which version is current and what exactly each person was shown.

Four decisions are recorded: a volunteer's, a support person's (about their own contact
details), a support person's confirmation that a citizen (or their guardian, their holder of a
power of attorney, their parent) agreed that we keep the citizen's first name, needs and
bookings, and each choice or change of the citizen's needs on the day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kernel.texts import Markup, Texts
from storage.consent import ConsentText


@dataclass(frozen=True)
class ConsentTemplate:
    """One consent text in the catalogues, its current version, and the registered hashes.

    Changing a text changes its hash, and a unit test then fails until the version is bumped
    and the new hashes are registered here: whoever agreed to an older version is asked again.
    """

    purpose: str
    legal_basis: str
    text_key: str
    current_version: int
    template_sha256: dict[int, dict[str, str]]
    # Placeholders that carry personal data (a citizen's name). The ledger outlives erasure,
    # so their values never go into its hash: a hash of a text with a first name in it could
    # be matched against a list of common names.
    personal: tuple[str, ...] = ()

    def render(self, texts: Texts, language: str, **values: object) -> str:
        """The consent text exactly as the person sees it."""
        return texts.get(language, self.text_key, **values)

    def shown(self, texts: Texts, language: str, **values: object) -> ConsentText:
        """What the ledger records about the text a person decided on: the hash of the text
        as shown, with each personal value left as its placeholder (`{name}`)."""
        kept = {
            name: Markup(f"{{{name}}}") if name in self.personal else value
            for name, value in values.items()
        }
        return ConsentText(
            purpose=self.purpose,
            version=self.current_version,
            sha256=sha256(self.render(texts, language, **kept)),
            language=language,
            legal_basis=self.legal_basis,
        )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


VOLUNTEER = ConsentTemplate(
    purpose="volunteer_contact",
    legal_basis="GDPR art. 6(1)(a): consent",
    text_key="signup.consent.ask",
    current_version=1,
    template_sha256={
        1: {
            "da": "f849e05d5cae17798c8ea4309ec773d28ed454331ae3092da703c56060e4e388",
            "en": "bc3a92a5a30c97bbad2d6d75e02559116c9d3fafcc14752e741543007003d3bd",
        },
    },
)
SUPPORT_PERSON = ConsentTemplate(
    purpose="support_person_contact",
    legal_basis="GDPR art. 6(1)(a): consent",
    text_key="support.consent.ask",
    current_version=1,
    template_sha256={
        1: {
            "da": "2ead57a98c097d206c017c5c68c8f46f971628dfa799e17d849011d8e11c1d76",
            "en": "c78da0bb9b2baa23e7e3451d4782e15a63ffe1c2e4fb575f017c0557e9b0883d",
        },
    },
)
CITIZEN = ConsentTemplate(
    purpose="citizen_bookings",
    legal_basis="GDPR art. 9(2)(a): explicit consent, given through the support person",
    text_key="citizens.consent.ask",
    current_version=3,
    template_sha256={
        1: {
            "da": "f268bcaa3e267d1bd8baeddbb26b4915d8549dfa10e1bb3329c798c02b841277",
            "en": "49f41350e06c2943801c05935907cb33105ff6f4c5795c4fb4a97320741e7dde",
        },
        # Version 2 only asks plainly ("Bekræft, at …" for "Bekræft venligst, at …"); the
        # English text is unchanged.
        2: {
            "da": "4a5ec1330c5464e2a56598f216ab22250396fe6c5fd6d56b83b90a3d26500b3c",
            "en": "49f41350e06c2943801c05935907cb33105ff6f4c5795c4fb4a97320741e7dde",
        },
        # Version 3 (issue 14): needs on the day are kept too, and volunteers see them in a
        # window before the activity; the support person says who agreed (the authority).
        3: {
            "da": "4c40a1ff0a9ebbc416f121a6c6a3b9e24b5cf8fb13e5aa580f8ca02ee34e815f",
            "en": "ac3f9482d6602a122df6d3c01fa6f70b7099e96ec632e429a1b3be75effcc8af",
        },
    },
    personal=("name",),
)

# A coordinator invited by link (or the first one, by the setup link) consents to what we keep
# about them; coordinators from COORDINATOR_IDS are named by the operator instead.
COORDINATOR = ConsentTemplate(
    purpose="coordinator_contact",
    legal_basis="GDPR art. 6(1)(a): consent",
    text_key="invitations.coordinator.consent",
    current_version=1,
    template_sha256={
        1: {
            "da": "b497c71b4393d3879b87402197f8101d4f54547f136524cf65f7d5fd79fda624",
            "en": "43052e745eb1ac1336487ce93e19a398664e25d8416f8fe1398f2843b909cb2d",
        },
    },
)

# A citizen's needs on the day, chosen or changed under the agreement in force: the question
# shown is the text recorded, with the authority, each time.
CITIZEN_NEEDS = ConsentTemplate(
    purpose="citizen_needs",
    legal_basis="GDPR art. 9(2)(a): explicit consent, given through the support person",
    text_key="citizens.needs.ask",
    current_version=1,
    template_sha256={
        1: {
            "da": "d1189c4aa0d930094bacd0ecc82a5d94ae291bb032350371da0ef9bd6b582fd0",
            "en": "964e6c7757320cd0567dd411c5bf01c30390f056ad3e75a4b2e64285cfa90348",
        },
    },
    personal=("name",),
)
TEMPLATES = (VOLUNTEER, SUPPORT_PERSON, CITIZEN, COORDINATOR, CITIZEN_NEEDS)

# The volunteer text, under the names the volunteer journeys use.
PURPOSE = VOLUNTEER.purpose
LEGAL_BASIS = VOLUNTEER.legal_basis
CURRENT_VERSION = VOLUNTEER.current_version
TEXT_KEY = VOLUNTEER.text_key
TEMPLATE_SHA256 = VOLUNTEER.template_sha256


def render(texts: Texts, language: str, *, retention_months: int) -> str:
    """The volunteer consent text exactly as the person sees it."""
    return VOLUNTEER.render(texts, language, months=retention_months)


def shown(texts: Texts, language: str, *, retention_months: int) -> ConsentText:
    """What the ledger records about the volunteer consent text a person decided on."""
    return VOLUNTEER.shown(texts, language, months=retention_months)
