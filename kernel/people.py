"""Who a person is to Sammen, as every layer sees them: plain values, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class Role:
    """What a person is to Sammen. A lead has not consented to anything yet."""

    LEAD = "lead"
    VOLUNTEER = "volunteer"
    SUPPORT = "support"
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class PersonInfo:
    """A person as handlers see them: a plain snapshot, never a live ORM object."""

    id: int
    telegram_id: int
    role: str
    language: str | None
    campaign: str | None
    created_at: datetime
    last_seen_at: datetime
    consent_version: int | None
    name: str | None
    phone: str | None
    email: str | None
    email_answered: bool
    interest_ids: tuple[int, ...]
    interests_answered: bool
    available_days: tuple[int, ...]
    available_parts: tuple[str, ...]
    availability_answered: bool
    signup_completed_at: datetime | None
    organisation: str | None = None
    # A support person's standing with the coordinators: "pending", "approved", "declined".
    support_status: str | None = None
    # Set on the person read for an update that is their first message to Sammen (a
    # coordinator from the settings is stored before it): the greeting is then a welcome.
    first_contact: bool = False

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def has_consented(self) -> bool:
        return self.role == Role.VOLUNTEER and self.consent_version is not None

    @property
    def is_active_volunteer(self) -> bool:
        return self.has_consented and self.signup_completed_at is not None

    @property
    def is_signing_up(self) -> bool:
        return self.has_consented and self.signup_completed_at is None

    @property
    def is_support_person(self) -> bool:
        """A support person who agreed that we keep their contact details."""
        return self.role == Role.SUPPORT and self.consent_version is not None

    @property
    def is_registered_support_person(self) -> bool:
        return self.is_support_person and self.signup_completed_at is not None

    @property
    def is_approved_support_person(self) -> bool:
        """Registered, and invited or approved by a coordinator: may add citizens and book."""
        return self.is_registered_support_person and self.support_status == "approved"

    @property
    def is_waiting_for_approval(self) -> bool:
        return self.is_registered_support_person and self.support_status == "pending"


def new_lead(
    telegram_id: int, *, now: datetime, language: str | None, person_id: int = 0
) -> PersonInfo:
    """Someone Sammen has just met: a lead with nothing but an id, a language and timestamps.
    `person_id` 0 for one not stored yet (services/visits.py)."""
    return PersonInfo(
        id=person_id,
        telegram_id=telegram_id,
        role=Role.LEAD,
        language=language,
        campaign=None,
        created_at=now,
        last_seen_at=now,
        consent_version=None,
        name=None,
        phone=None,
        email=None,
        email_answered=False,
        interest_ids=(),
        interests_answered=False,
        available_days=(),
        available_parts=(),
        availability_answered=False,
        signup_completed_at=None,
        first_contact=True,
    )
