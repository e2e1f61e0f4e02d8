"""The database schema as SQLAlchemy ORM classes. Alembic migrations mirror this file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UtcDateTime = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role:
    """What a person is to Sammen. A lead has not consented to anything yet."""

    LEAD = "lead"
    VOLUNTEER = "volunteer"
    SUPPORT = "support"
    COORDINATOR = "coordinator"


class Person(Base):
    """Everyone who has talked to the bot. Contact details exist only after consent."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.LEAD)
    # Chosen with /language; None means "follow the Telegram app's language".
    language: Mapped[str | None] = mapped_column(String(2))
    campaign: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    coordinator_from_config: Mapped[bool] = mapped_column(Boolean, default=False)

    # Volunteer data: only ever written after consent was granted.
    consent_version: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    email_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    interests_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    available_days: Mapped[list[int] | None] = mapped_column(JSON)
    available_parts: Mapped[list[str] | None] = mapped_column(JSON)
    availability_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    signup_completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    interests: Mapped[list[Interest]] = relationship(
        secondary="volunteer_interests", order_by="Interest.position", lazy="selectin"
    )


class Interest(Base):
    """An interest category coordinators manage; retired ones stay for history."""

    __tablename__ = "interests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_da: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class VolunteerInterest(Base):
    __tablename__ = "volunteer_interests"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("interests.id", ondelete="CASCADE"), primary_key=True
    )


class ConsentEvent(Base):
    """Append-only proof of what a person agreed to or withdrew, and when.

    The subject is a keyed hash of the Telegram id, so the proof outlives erasure without
    keeping who the person was.
    """

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))
    text_version: Mapped[int] = mapped_column(Integer)
    text_sha256: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    legal_basis: Mapped[str] = mapped_column(String(80))
    actor: Mapped[str] = mapped_column(String(40))
    age_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConversationState(Base):
    """Where a person is in a conversation: state names only, never their answers."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    state: Mapped[str] = mapped_column(Text)


class AppSecret(Base):
    """Secrets the bot generates for itself when the operator did not set one."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
