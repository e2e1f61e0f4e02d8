"""Which question comes next in the sign-up, derived from what is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers.signup import (
    AVAILABILITY,
    CONSENT,
    EMAIL,
    INTERESTS,
    NAME,
    PHONE,
    REVIEW,
    next_step,
)
from kernel.people import new_lead

NOW = datetime(2026, 11, 23, tzinfo=UTC)
LEAD = new_lead(1, now=NOW, language=None, person_id=1)


def test_a_lead_is_asked_the_name_then_consent() -> None:
    assert next_step(None, None) == NAME
    assert next_step(LEAD, None) == NAME
    assert next_step(LEAD, "Mette") == CONSENT


def test_after_consent_each_unanswered_question_in_turn() -> None:
    person = replace(LEAD, role="volunteer", consent_version=1)
    assert next_step(person, None) == NAME
    person = replace(person, name="Mette")
    assert next_step(person, None) == PHONE
    person = replace(person, phone="+4520123456")
    assert next_step(person, None) == EMAIL
    person = replace(person, email_answered=True)
    assert next_step(person, None) == INTERESTS
    person = replace(person, interests_answered=True, interest_ids=(1,))
    assert next_step(person, None) == AVAILABILITY
    person = replace(person, availability_answered=True)
    assert next_step(person, None) == REVIEW
