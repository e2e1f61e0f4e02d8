"""When an activity below its minimum is warned of, asked about and decided: the question
always comes a step before the reminder, whatever the reminder's lead time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kernel.config import Settings
from services.minimum import ask_ahead, deadline, reminder_ahead, warn_ahead
from storage.minimum import Question

STARTS = datetime(2026, 12, 24, 13, 0, tzinfo=UTC)


def settings(lead: int) -> Settings:
    return Settings(_env_file=None, reminder_offsets_hours=(lead, 2))  # type: ignore[call-arg]


def test_by_default_warned_at_48_asked_at_36_decided_by_the_reminder_at_24_hours() -> None:
    default = settings(24)
    assert (warn_ahead(default), ask_ahead(default), reminder_ahead(default)) == (
        timedelta(hours=48),
        timedelta(hours=36),
        timedelta(hours=24),
    )
    asked = Question(1, STARTS, STARTS - timedelta(hours=36), None, None)
    assert deadline(default, asked) == STARTS - timedelta(hours=24)


def test_a_longer_reminder_lead_moves_the_question_and_the_warning_earlier() -> None:
    early = settings(72)
    assert ask_ahead(early) == timedelta(hours=84)
    assert warn_ahead(early) == timedelta(hours=96)


def test_an_activity_asked_about_late_still_gives_three_hours_to_answer() -> None:
    asked = Question(1, STARTS, STARTS - timedelta(hours=10), None, None)
    assert deadline(settings(24), asked) == STARTS - timedelta(hours=7)


def test_a_question_asked_close_to_the_start_is_settled_an_hour_before_it() -> None:
    asked = Question(1, STARTS, STARTS - timedelta(hours=2), None, None)
    assert deadline(settings(24), asked) == STARTS - timedelta(hours=1)
    too_late = Question(1, STARTS, STARTS - timedelta(minutes=30), None, None)
    assert deadline(settings(24), too_late) < too_late.asked_at
