"""The team's buttons: what they carry, and what they refuse to be."""

from __future__ import annotations

from kernel.buttons.team import (
    AuditPageButton,
    OfferAnswer,
    TeamAction,
    TeamPage,
    TeamVerb,
    VolunteerPage,
)


def test_team_buttons_pack_and_parse_back() -> None:
    assert TeamAction(TeamVerb.HANDED_OVER, 4, 9).pack() == "team:gave:4:9"
    assert TeamAction(TeamVerb.REMOVE, 7).pack() == "team:rm:7:-"
    assert TeamAction.parse("team:downy:3:-") == TeamAction(TeamVerb.STEP_DOWN_YES, 3)
    assert TeamPage.parse("teamp:2") == TeamPage(2)
    assert VolunteerPage.parse(VolunteerPage(3).pack()) == VolunteerPage(3)
    assert AuditPageButton.parse("audp:5") == AuditPageButton(5)
    assert OfferAnswer.parse("teamo:1") == OfferAnswer(True)
    assert OfferAnswer(False).pack() == "teamo:0"


def test_team_buttons_refuse_anything_else() -> None:
    for data in ("team:promote:1:-", "team:rm:x:-", "team:rm:1", "teamp:", "teamo:yes", "audp:1:2"):
        assert TeamAction.parse(data) is None
        assert TeamPage.parse(data) is None
        assert OfferAnswer.parse(data) is None
        assert AuditPageButton.parse(data) is None
