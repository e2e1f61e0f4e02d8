"""What a short message most likely means, in ordinary Danish or English: "hej", "hjælp",
"I want to volunteer". Used only for text no conversation was waiting for, so a kind answer
can replace "I did not understand"."""

from __future__ import annotations

import enum
import re


class Intent(enum.Enum):
    DELETE = "delete"
    HELP = "help"
    VOLUNTEER = "volunteer"
    SUPPORT = "support"
    BOOK = "book"
    ACTIVITIES = "activities"
    THANKS = "thanks"
    GREETING = "greeting"


# In order of precedence: "hej, jeg vil være frivillig" is about volunteering, not a greeting.
PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.DELETE: (
        "slet mine data", "slet mine oplysninger", "slet mig", "glem mig",
        "delete my data", "delete me", "erase my data", "forget me",
    ),
    Intent.HELP: (
        "hjælp", "hvad kan du", "hvad kan jeg", "hvordan virker", "menu", "kommandoer",
        "help", "what can you do", "what can i do", "how does this work", "commands",
    ),
    Intent.VOLUNTEER: (
        "frivillig", "frivilliges", "melde mig", "tilmelde mig",
        "volunteer", "volunteering", "sign up", "sign me up",
    ),
    Intent.SUPPORT: ("støtteperson", "pårørende", "bosted", "support person", "carer", "caregiver"),
    Intent.BOOK: ("booke", "booking", "bookinger", "book", "bookings"),
    Intent.ACTIVITIES: (
        "aktivitet", "aktiviteter", "aktiviteterne", "hvad sker der", "arrangementer",
        "activity", "activities", "events", "what is on", "whats on",
    ),
    Intent.THANKS: ("tak", "tusind tak", "mange tak", "thanks", "thank you", "thx", "cheers"),
    Intent.GREETING: (
        "hej", "hejsa", "hey", "hi", "hello", "hallo", "halløj", "dav", "goddag", "godmorgen",
        "god morgen", "godaften", "god aften", "good morning", "good afternoon",
        "good evening", "hiya", "howdy",
    ),
}  # fmt: skip
# Longer messages are real questions or stories: better "I did not understand" than a guess.
MOST_WORDS = 10
_NOT_WORD = re.compile(r"[^\wæøå']+")


def words_of(text: str) -> str:
    """Lower case, punctuation gone, apostrophes dropped ("what's" -> "whats")."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold().replace("'", "")).split())


def intent_of(text: str) -> Intent | None:
    """The intent of a short message, or None when it says none of the known things."""
    said = words_of(text)
    if not said or len(said.split()) > MOST_WORDS:
        return None
    padded = f" {said} "
    for intent, phrases in PHRASES.items():
        if any(f" {phrase} " in padded for phrase in phrases):
            return intent
    return None
