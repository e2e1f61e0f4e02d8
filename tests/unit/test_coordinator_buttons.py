"""Coordinators' buttons keep the callback data already sent in chats, and refuse forgeries."""

from __future__ import annotations

from kernel.buttons.interests import (
    InterestAction,
    InterestsButton,
    InterestsChoice,
    InterestVerb,
    interest,
)
from kernel.buttons.planning import (
    AdminAction,
    AdminPage,
    AdminVerb,
    NewActivity,
    PlanButton,
    PlanChoice,
    PlanNumber,
    admin,
    choosing,
)


def test_planning_list_buttons_pack_as_before() -> None:
    assert AdminAction(AdminVerb.CARD, 12).pack() == "adm:card:12"
    assert AdminAction(AdminVerb.CANCEL, 1).pack() == "adm:cancel:1"
    assert AdminPage(2).pack() == "admp:2"
    assert AdminAction.parse("adm:people:7") == AdminAction(AdminVerb.PEOPLE, 7)
    assert NewActivity.parse(NewActivity().pack()) == NewActivity()


def test_interest_buttons_pack_as_before() -> None:
    assert InterestAction(InterestVerb.PICK, 3).pack() == "int:pick:3"
    assert InterestAction.parse("int:rename:4") == InterestAction(InterestVerb.RENAME, 4)
    assert InterestsButton.parse(InterestsButton(InterestsChoice.ADD).pack()) is not None


def test_patterns_tell_verbs_apart_and_refuse_forgeries() -> None:
    assert admin(AdminVerb.EDIT)("adm:edit:5")
    assert not admin(AdminVerb.EDIT)("adm:cancel:5")
    assert not admin(AdminVerb.CARD)("adm:card:5; DROP TABLE people")
    assert not admin(AdminVerb.CARD)("adm:card")
    assert choosing(PlanChoice.PUBLISH)(PlanButton(PlanChoice.PUBLISH).pack())
    assert not choosing(PlanChoice.PUBLISH)(PlanButton(PlanChoice.DISCARD).pack())
    assert not choosing(PlanChoice.PUBLISH)("plan:nonsense")
    assert PlanNumber.parse("plann:4") == PlanNumber(4)
    assert PlanNumber.parse("plann:four") is None
    assert interest(InterestVerb.PICK, InterestVerb.RETIRE)("int:retire:2")
    assert not interest(InterestVerb.PICK)("int:retire:2")
