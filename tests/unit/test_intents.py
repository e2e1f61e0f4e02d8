"""Short messages in ordinary Danish and English are understood."""

from __future__ import annotations

import pytest

from kernel.intents import Intent, intent_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hej", Intent.GREETING),
        ("Hej!", Intent.GREETING),
        ("Hello?", Intent.GREETING),
        ("god morgen 🙂", Intent.GREETING),
        ("Hej, jeg vil gerne være frivillig", Intent.VOLUNTEER),
        ("I would like to volunteer", Intent.VOLUNTEER),
        ("Jeg er pårørende", Intent.SUPPORT),
        ("hjælp", Intent.HELP),
        ("What can you do?", Intent.HELP),
        ("Hvilke aktiviteter er der?", Intent.ACTIVITIES),
        ("what's on this week", Intent.ACTIVITIES),
        ("Tusind tak!", Intent.THANKS),
        ("thank you", Intent.THANKS),
        ("Slet mine data", Intent.DELETE),
        ("please forget me", Intent.DELETE),
        ("Jeg vil gerne booke en plads", Intent.BOOK),
    ],
)
def test_short_messages_are_understood(text: str, intent: Intent) -> None:
    assert intent_of(text) is intent


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdfgh",
        "Tilbage",  # "tak" inside a word is no thanks
        "Hejrevej 12",  # nor is "hej" inside a street name
        "Jeg har en lang historie om min weekend, hvor jeg var ude at gå og så en masse",
    ],
)
def test_anything_else_is_not_guessed(text: str) -> None:
    assert intent_of(text) is None
