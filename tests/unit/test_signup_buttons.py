"""The sign-up journeys' buttons pack to the strings the bot always sent, and refuse forgeries."""

from __future__ import annotations

import pytest

from kernel.buttons.signup import (
    DONE,
    RenewalAnswer,
    RenewalButton,
    SignupButton,
    SignupVerb,
    StartButton,
    StartChoice,
    SupportButton,
    SupportVerb,
)


@pytest.mark.parametrize(
    ("button", "packed"),
    [
        (SignupButton(SignupVerb.START), "su:start"),
        (SignupButton(SignupVerb.CONFIRM), "su:confirm"),
        (SignupButton(SignupVerb.CONSENT, "young"), "su:consent:young"),
        (SignupButton(SignupVerb.INTEREST, "12"), "su:int:12"),
        (SignupButton(SignupVerb.INTEREST, DONE), "su:int:done"),
        (SignupButton(SignupVerb.DAY, "6"), "su:day:6"),
        (SignupButton(SignupVerb.PART, "evening"), "su:part:evening"),
        (SignupButton(SignupVerb.AVAILABILITY, DONE), "su:avail:done"),
        (SignupButton(SignupVerb.EDIT, "phone"), "su:edit:phone"),
        (SupportButton(SupportVerb.RESUME), "sp:resume"),
        (SupportButton(SupportVerb.ORGANISATION, "relative"), "sp:org:relative"),
        (StartButton(StartChoice.SUPPORT), "start:support"),
        (RenewalButton(RenewalAnswer.NO), "cr:no"),
    ],
)
def test_each_button_keeps_its_string(button: object, packed: str) -> None:
    assert button.pack() == packed  # type: ignore[attr-defined]
    assert type(button).parse(packed) == button  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "forged",
    ["su:int:x", "su:day:7", "su:part:night", "su:confirm:1", "su:consent", "sp:org:x", "su:"],
)
def test_a_value_the_verb_does_not_take_is_refused(forged: str) -> None:
    assert SignupButton.parse(forged) is None
    assert SupportButton.parse(forged) is None


def test_a_pattern_matches_its_verbs_and_value_only() -> None:
    agreed = SignupButton.where(SignupVerb.CONSENT, value="yes")
    assert agreed("su:consent:yes")
    assert not agreed("su:consent:no")
    assert SignupButton.where(SignupVerb.DAY, SignupVerb.PART)("su:part:morning")
