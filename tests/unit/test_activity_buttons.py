"""The volunteer journey's buttons keep the strings already sent in chats."""

from __future__ import annotations

import pytest

from kernel.buttons.activities import (
    CARD,
    MINE,
    ActivityButton,
    ActivityPage,
    Answer,
    CalendarAll,
    FollowUpAnswer,
    LateReason,
    Verb,
    View,
)
from kernel.callback_data import CallbackData
from storage.feedback import ANSWERS


@pytest.mark.parametrize(
    ("button", "packed"),
    [
        (ActivityButton(Verb.JOIN, 42, 3, View.listing(2)), "act:join:42:3:l2"),
        (ActivityButton(Verb.WAIT, 42, 3, CARD), "act:wait:42:3:c"),
        (ActivityButton(Verb.LEAVE, 42, None, MINE), "act:leave:42:m"),
        (ActivityButton(Verb.CALENDAR, 7, None, MINE), "act:cal:7:m"),
        (ActivityPage(3), "actp:3"),
        (CalendarAll(), "actcal:all"),
        (LateReason(), "actr:skip"),
        (FollowUpAnswer(9, Answer.OKAY), "fb:9:okay"),
    ],
)
def test_each_button_packs_as_before_and_parses_back(button: CallbackData, packed: str) -> None:
    assert button.pack() == packed
    assert type(button).parse(packed) == button
    assert type(button).matches(packed)


@pytest.mark.parametrize(
    "forged",
    [
        "act:join:1; DROP TABLE people",
        "act:join:1:-:m",
        "act:join:1:2:3:m",
        "act:join:x:2:m",
        "act:dance:1:2:m",
        "act:join:1:2:l",
        "act:join:1:2:lx",
        "act:join:1:2:z",
        "act:join:1",
        "actp:1",
        None,
    ],
)
def test_anything_else_is_not_an_activity_button(forged: object) -> None:
    assert ActivityButton.parse(forged) is None
    assert not ActivityButton.matches(forged)


@pytest.mark.parametrize("forged", ["actcal:some", "actr:later", "fb:1:meh", "fb:x:good"])
def test_other_forged_presses_are_refused(forged: str) -> None:
    kinds: list[type[CallbackData]] = [CalendarAll, LateReason, FollowUpAnswer]
    assert not any(kind.matches(forged) for kind in kinds)


def test_the_follow_up_answers_are_the_ones_storage_keeps() -> None:
    assert [answer.value for answer in Answer] == list(ANSWERS)
