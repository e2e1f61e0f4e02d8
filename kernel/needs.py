"""A citizen's needs on the day: the standard list, the authority a support person answers on,
and what a note may not hold.

The note is free text about a person with disabilities, kept only so volunteers can prepare.
It must not become a place for identifiers: a CPR number or a phone number in it is refused.
"""

from __future__ import annotations

import enum
import re

import phonenumbers

from kernel.validation import Invalid, visible_text

# The standard list, in the order it is offered, with the catalogue key of each need's name.
NEED_KEYS: dict[str, str] = {
    "wheelchair": "needs.kind.wheelchair",
    "walker": "needs.kind.walker",
    "companion": "needs.kind.companion",
    "hearing": "needs.kind.hearing",
    "sight": "needs.kind.sight",
    "quiet": "needs.kind.quiet",
    "food": "needs.kind.food",
    "tired": "needs.kind.tired",
}
STANDARD_NEEDS: tuple[str, ...] = tuple(NEED_KEYS)
# What an activity must offer (its accessibility notes) for each need; needs not listed here
# (sight, food) ask nothing of the place that the notes could say.
NEEDS_OFFERS: dict[str, tuple[str, ...]] = {
    "wheelchair": ("step_free", "toilet"),
    "walker": ("step_free",),
    "companion": ("companion",),
    "hearing": ("hearing_loop",),
    "quiet": ("quiet_room",),
    "tired": ("seating",),
}
NOTE_MAX = 200
# Volunteers may see needs from this long before the start until the activity ends.
WINDOW_HOURS = 48


class Authority(enum.Enum):
    """On what authority a support person answers for a citizen: different things in law."""

    SELF = "self"  # the citizen agreed themselves
    GUARDIAN = "guardian"  # a guardian (værge) agreed
    POWER_OF_ATTORNEY = "attorney"  # the support person holds a fremtidsfuldmagt
    PARENT = "parent"  # a parent of a child under 18


# ddmmyy-xxxx, also with a space or nothing between: a day and month that exist, then four digits.
_CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\s–]?\d{4}(?!\d)")


def clean_note(text: str) -> str | Invalid:
    """A note for volunteers of at most NOTE_MAX characters, or why not: `too_long`,
    `cpr` (looks like a CPR number), `phone` (looks like a phone number) or invisible characters.
    """
    visible = visible_text(text)
    if isinstance(visible, Invalid):
        return visible
    note = " ".join(visible.split())
    if not note:
        return Invalid("empty")
    if len(note) > NOTE_MAX:
        return Invalid("too_long")
    if _CPR.search(note):
        return Invalid("cpr")
    for _match in phonenumbers.PhoneNumberMatcher(note, "DK", phonenumbers.Leniency.VALID):
        return Invalid("phone")
    return note


def wanted_offers(needs: tuple[str, ...]) -> tuple[str, ...]:
    """What an activity should offer for these needs, each once, in the needs' order."""
    wanted: list[str] = []
    for need in needs:
        wanted += [offer for offer in NEEDS_OFFERS.get(need, ()) if offer not in wanted]
    return tuple(wanted)


def missing_offers(needs: tuple[str, ...], offers: tuple[str, ...]) -> tuple[str, ...]:
    """What these needs want that an activity offering `offers` does not: empty if it fits."""
    return tuple(offer for offer in wanted_offers(needs) if offer not in offers)
