"""Typed callback data: one pack, one pattern and one parse per kind of button."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

from kernel.callback_data import CallbackData, CallbackDataError


class View(enum.Enum):
    LIST = "l"
    MINE = "m"


@dataclass(frozen=True)
class ExampleJoin(CallbackData, prefix="test-join"):
    activity_id: int
    version: int | None
    view: View
    confirmed: bool


@dataclass(frozen=True)
class ExampleNamed(CallbackData, prefix="test-named"):
    step: str


@dataclass(frozen=True)
class ExampleBare(CallbackData, prefix="test-bare"):
    pass


def test_a_button_packs_and_parses_back_to_the_same_value() -> None:
    button = ExampleJoin(42, 3, View.MINE, True)
    assert button.pack() == "test-join:42:3:m:1"
    assert ExampleJoin.parse(button.pack()) == button
    assert ExampleJoin.parse(ExampleJoin(7, None, View.LIST, False).pack()) == ExampleJoin(
        7, None, View.LIST, False
    )
    assert ExampleBare.parse(ExampleBare().pack()) == ExampleBare()
    assert ExampleNamed.parse("test-named:when") == ExampleNamed("when")


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "test-join",
        "test-join:42:3:m",
        "test-join:42:3:m:1:extra",
        "test-join:x:3:m:1",
        "test-join:42:3:z:1",
        "test-join:42:3:m:2",
        "test-join:99999999999999:3:m:1",
        "other:42:3:m:1",
        "test-bare:1",
        "test-named:a:b",
        "test-named:<b>",
        "test-named:" + "a" * 60,
        None,
        42,
    ],
)
def test_anything_that_is_not_exactly_a_button_of_the_kind_is_refused(forged: object) -> None:
    kinds: list[type[CallbackData]] = [ExampleJoin, ExampleNamed, ExampleBare]
    assert [kind.parse(forged) for kind in kinds] == [None, None, None]
    assert not any(kind.matches(forged) for kind in kinds)


def test_a_value_that_cannot_travel_is_refused_when_packing() -> None:
    with pytest.raises(CallbackDataError):
        ExampleNamed("has:colon").pack()
    with pytest.raises(CallbackDataError):
        ExampleNamed("x" * 70).pack()


def test_each_prefix_belongs_to_one_kind() -> None:
    assert CallbackData.kinds()["test-join"] is ExampleJoin
    with pytest.raises(ValueError, match="used twice"):

        @dataclass(frozen=True)
        class Again(CallbackData, prefix="test-join"):
            pass
