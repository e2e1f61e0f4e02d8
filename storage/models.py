"""The database schema as SQLAlchemy ORM classes. Alembic migrations mirror this file."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kernel.people import Role

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database: SQLite keeps no zone and hands back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: times come from the clock, in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    """Everyone who has talked to the bot. Contact details exist only after consent."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.LEAD)
    # Chosen with /language; None means "follow the Telegram app's language".
    language: Mapped[str | None] = mapped_column(String(2))
    campaign: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
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
    signup_completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Support persons: where they work (a home, a day centre) or "relative".
    organisation: Mapped[str | None] = mapped_column(String(120))
    # The team (issue 13): which menu this person's chat was last given (storage.menus), so
    # a role changed by anyone, anywhere, is noticed and their menu follows; "" when none.
    menu_for: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The coordinator who offered this volunteer to become a coordinator, until they answer.
    coordinator_offered_by: Mapped[int | None] = mapped_column(Integer)
    # Support persons who registered without an invitation wait for a coordinator's answer:
    # SupportStatus; None for everyone else. The coordinator who answered first, by id (a
    # plain number, not a key: it only names who decided, and outlives that person).
    support_status: Mapped[str | None] = mapped_column(String(10))
    support_decided_by: Mapped[int | None] = mapped_column(Integer)

    interests: Mapped[list[Interest]] = relationship(
        secondary="volunteer_interests", order_by="Interest.position", lazy="selectin"
    )


class Interest(Base):
    """An interest category coordinators manage; retired ones stay for history."""

    __tablename__ = "interests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class InterestName(Base):
    """An interest's name in one language: a new language adds rows, not columns."""

    __tablename__ = "interest_names"

    interest_id: Mapped[int] = mapped_column(
        ForeignKey("interests.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))


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
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    # For a citizen: on what authority the support person confirmed (issue 14).
    authority: Mapped[str | None] = mapped_column(String(20))


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


class WipeOwed(Base):
    """An erasure committed whose bytes may still be in the database files: storage.wipe
    overwrites them, and the row goes once it has. Written in the erasure's own transaction,
    so a restart cannot forget a wipe that was owed."""

    __tablename__ = "wipes_owed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owed_since: Mapped[datetime] = mapped_column(UtcDateTime())


class ActivityStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Activity(Base):
    """A group activity. Drafts hold a coordinator's answers as they come, so /new_activity
    survives restarts; capacity counters change only through conditional UPDATEs."""

    __tablename__ = "activities"
    # The reminder job's one question, "published, starting within the lead time, not yet
    # reminded of this start", answered from the index alone.
    __table_args__ = (Index("ix_activities_reminder_due", "starts_at", "status", "reminded_for"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default=ActivityStatus.DRAFT, index=True)
    title: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    interest_id: Mapped[int | None] = mapped_column(ForeignKey("interests.id"))
    place: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    citizen_seats: Mapped[int | None] = mapped_column(Integer)
    min_volunteers: Mapped[int | None] = mapped_column(Integer)
    max_volunteers: Mapped[int | None] = mapped_column(Integer)
    accessibility: Mapped[list[str] | None] = mapped_column(JSON)
    accessibility_answered: Mapped[bool] = mapped_column(Boolean, default=False)
    # Issue 12: a photo of the meeting point, as Telegram's file_id (no image bytes stored).
    meeting_photo: Mapped[str | None] = mapped_column(String(200))
    repeat_weeks: Mapped[int | None] = mapped_column(Integer)  # 1 = once
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    volunteers_joined: Mapped[int] = mapped_column(Integer, default=0)
    citizens_booked: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on every change people can see, so a button shown before a change is noticed.
    version: Mapped[int] = mapped_column(Integer, default=1)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # Published, but the volunteers who match have not been told yet: that happens right
    # after the publishing commit, and a restart finishes it if the process died between.
    announce_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The start time whose reminders were enqueued: a moved activity (another start) is due
    # to be reminded afresh, and nothing else is looked at twice (services.reminders).
    reminded_for: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Of the start in `reminded_for`: the lead (in minutes) of the last reminder enqueued,
    # so each configured offset is sent once per start (services.reminders).
    reminded_lead_minutes: Mapped[int | None] = mapped_column(Integer)
    # The coordinator who answers for the activity: its creator until they hand it over or
    # step down; None once it passed to the team (every coordinator). Who created it stays
    # in the audit log (audit_entries).
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ParticipationStatus:
    JOINED = "joined"
    WAITING = "waiting"


class Participation(Base):
    """A volunteer going to an activity, or waiting for a place (first come, first moved up)."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The start this volunteer confirmed from a reminder ("I'm coming"); a moved start asks anew.
    confirmed_for: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LateDeparture(Base):
    """A volunteer who left less than 24 hours before the start, and their optional reason."""

    __tablename__ = "late_departures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    left_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))
    reason_pending: Mapped[bool] = mapped_column(Boolean, default=True)


class MinimumQuestion(Base):
    """An activity still below its minimum of volunteers near the start, put to the
    coordinators: go ahead anyway, or cancel. One per activity and start time (a moved
    activity is asked afresh); the first answer counts, so `decision` is set only once."""

    __tablename__ = "minimum_questions"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # "go_ahead" or "cancel"; None while undecided.
    decision: Mapped[str | None] = mapped_column(String(10))
    # The coordinator who decided; None with a decision when nobody answered in time.
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ActivityEdit(Base):
    """Which activity a coordinator is creating or changing right now (one at a time)."""

    __tablename__ = "activity_edits"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    # What the coordinator is doing with it: "create", "edit" or "cancel".
    purpose: Mapped[str] = mapped_column(String(10))


class Citizen(Base):
    """A person a support person books into activities. Health-adjacent (GDPR art. 9) data:
    only what the activity needs, a first name volunteers can greet them by, is kept, and
    only after the support person confirmed the citizen (or their guardian) agreed."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    support_person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(String(40))
    # A random reference, so the consent ledger can prove the agreement without a name.
    consent_ref: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Booking(Base):
    """A citizen's place in an activity; the activity's counter changes in the same
    transaction, through a conditional UPDATE."""

    __tablename__ = "bookings"
    __table_args__ = (UniqueConstraint("activity_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The start the support person confirmed for this citizen from a reminder.
    confirmed_for: Mapped[datetime | None] = mapped_column(UtcDateTime())


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after repeated network errors
    DROPPED = "dropped"  # Telegram will never take it: the bot was blocked, the chat is gone


class OutboxMessage(Base):
    """A message owed to someone other than the person who just wrote.

    Written in the same transaction as the change it tells about, so a crash between the
    commit and the send cannot lose it; scheduler/outbox.py delivers it. Once settled the
    text and keyboard are cleared: only the kind and the times stay, for the audit.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Erasing a person erases what is owed to them.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    # Rendered in the recipient's language when enqueued; None once settled.
    text: Mapped[str | None] = mapped_column(Text)
    keyboard: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # A job that runs twice enqueues once: the second insert meets this key and does nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # A sender's lease: a killed sender's rows become claimable again when it runs out.
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Which sender holds the lease ("host:pid:start"): a restarted process frees the claims
    # of its dead predecessor at once instead of waiting for the lease to run out.
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Broadcasts (issue 12): which broadcast a row belongs to (its progress and report are
    # counted from these), a photo to send with the text as its caption, and why a row was
    # given up (a short code or Telegram's own words, never anything about the person).
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)
    photo: Mapped[str | None] = mapped_column(String(200))
    failure: Mapped[str | None] = mapped_column(String(100))


class FeedbackAnswer:
    GOOD = "good"
    OKAY = "okay"
    BAD = "bad"


class Feedback(Base):
    """How an activity went, in one press, from a volunteer who went or a support person whose
    citizens were booked: what coordinators learn from, with no free text kept."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    # Erasing a person erases their answers.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # "volunteer" or "support": coordinators read the two apart.
    given_as: Mapped[str] = mapped_column(String(10))
    answer: Mapped[str] = mapped_column(String(5))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


# -- Broadcasts (issue 12) --------------------------------------------------------------------


class BroadcastStatus:
    DRAFT = "draft"  # written, previewed, not sent yet
    SCHEDULED = "scheduled"  # to start at send_at
    SENDING = "sending"  # its recipients are in the outbox
    DONE = "done"  # nothing is owed any more: the report is final
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A coordinator's message to many: who, when, to which audience, and how it went.

    The recipients are chosen when it starts (so people who withdrew consent meanwhile get
    nothing) and put into the outbox in the same transaction that marks it sending."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default=BroadcastStatus.DRAFT, index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # "volunteers", "interests", "activity", "support" or "coordinators".
    audience: Mapped[str] = mapped_column(String(12))
    interest_ids: Mapped[list[int] | None] = mapped_column(JSON)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    # The message as Telegram HTML (the coordinator's formatting kept), a photo's caption
    # when there is a photo.
    text: Mapped[str] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(200))
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The counts, final once done: sent, unreachable (blocked or gone), failed and why.
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    unreachable: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[dict[str, int] | None] = mapped_column(JSON)
    # The coordinator's message that shows the progress, and what it shows now.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    progress_shown: Mapped[str | None] = mapped_column(String(200))


# --- The team (issue 13) ----------------------------------------------------------------------


class AuditEntry(Base):
    """One thing a coordinator did: who, what, which activity or person, when. Ids only:
    no message texts, no names. Append-only in the database itself (migration 0014): an
    erased person or activity turns its id into NULL, nothing else ever changes."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )


# --- Invitations (issue 13): roles that are given, not claimed --------------------------------


class SupportStatus:
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Invitation(Base):
    """A single-use link that makes whoever opens it first a coordinator or a support person.

    Only a hash of the token is kept: the link itself exists only in the chat it was shown in.
    The setup link of a fresh installation is an invitation nobody created.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(120))
    # None for the setup link.
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The first person to open the link: from then on it is theirs alone (a forwarded link
    # is a used link), even if they finish registering later.
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# --- Issue 12: calls for volunteers --------------------------------------------------------


class VolunteerCall(Base):
    """A volunteer called to an activity still below its minimum: at most a few a week per
    person (services.calls), and shown to coordinators on the card (called, joined). A row
    with `left_at` remembers that they left it (or could not come after all): never called
    to it again."""

    __tablename__ = "volunteer_calls"
    __table_args__ = (
        UniqueConstraint("activity_id", "person_id"),
        Index("ix_volunteer_calls_person_called", "person_id", "called_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# --- Issue 14: a citizen's needs on the day, their authority, and shared citizens ----------


class CitizenNeeds(Base):
    """What volunteers should know about a citizen on the day: needs chosen from the
    catalogue's list (slugs), an optional short note, and on what authority the support person
    answers for them. One row per citizen, deleted with the citizen."""

    __tablename__ = "citizen_needs"

    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), primary_key=True
    )
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(String(200))
    # "self", "guardian", "power_of_attorney" or "parent".
    authority: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CitizenKeeper(Base):
    """A support person who looks after a citizen: a citizen shared with a colleague has two.
    The citizen is erased when the last keeper removes them."""

    __tablename__ = "citizen_keepers"

    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    since: Mapped[datetime] = mapped_column(UtcDateTime())


class CitizenShare(Base):
    """A single-use link to share a citizen with a colleague: only the token's hash is kept."""

    __tablename__ = "citizen_shares"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NeedKind(Base):
    """A need coordinators added to the standard list (which lives in the catalogues). Retired
    ones stay, so the needs chosen before keep their meaning."""

    __tablename__ = "need_kinds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NeedKindName(Base):
    """An added need's name in one language."""

    __tablename__ = "need_kind_names"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("need_kinds.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
