"""Initial schema: people, consent events, interests, conversation states.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:39:11.624314
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A starting list; coordinators manage interests from the bot afterwards.
DEFAULT_INTERESTS = [
    ("walks", "Gåture", "Walks"),
    ("cafe", "Café og hygge", "Cafe and a chat"),
    ("crafts", "Kreativt og håndarbejde", "Arts and crafts"),
    ("sports", "Sport og bevægelse", "Sports and exercise"),
    ("music", "Musik og koncerter", "Music and concerts"),
    ("games", "Brætspil og spil", "Board games and games"),
    ("cinema", "Biograf og film", "Cinema and films"),
    ("nature", "Natur og udeliv", "Nature and outdoors"),
    ("cooking", "Madlavning", "Cooking"),
    ("culture", "Museer og kultur", "Museums and culture"),
]


def upgrade() -> None:
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_app_secrets")),
    )
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", "key", name=op.f("pk_conversation_states")),
    )
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_states_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name_da", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
        sa.UniqueConstraint("slug", name=op.f("uq_interests_slug")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("campaign", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("coordinator_from_config", sa.Boolean(), nullable=False),
        sa.Column("consent_version", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_answered", sa.Boolean(), nullable=False),
        sa.Column("interests_answered", sa.Boolean(), nullable=False),
        sa.Column("available_days", sa.JSON(), nullable=True),
        sa.Column("available_parts", sa.JSON(), nullable=True),
        sa.Column("availability_answered", sa.Boolean(), nullable=False),
        sa.Column("signup_completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_people_telegram_id")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_last_seen_at"), ["last_seen_at"], unique=False)

    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("legal_basis", sa.String(length=80), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("age_confirmed", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_consent_events_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_events_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consent_events_subject"), ["subject"], unique=False)

    op.create_table(
        "volunteer_interests",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["interests.id"],
            name=op.f("fk_volunteer_interests_interest_id_interests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_volunteer_interests_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "interest_id", name=op.f("pk_volunteer_interests")),
    )

    interests = sa.table(
        "interests",
        sa.column("slug", sa.String),
        sa.column("name_da", sa.String),
        sa.column("name_en", sa.String),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        interests,
        [
            {"slug": slug, "name_da": da, "name_en": en, "position": position}
            for position, (slug, da, en) in enumerate(DEFAULT_INTERESTS, start=1)
        ],
    )


def downgrade() -> None:
    op.drop_table("volunteer_interests")
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_events_subject"))
        batch_op.drop_index(batch_op.f("ix_consent_events_person_id"))

    op.drop_table("consent_events")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_people_campaign"))

    op.drop_table("people")
    op.drop_table("interests")
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_states_user_id"))

    op.drop_table("conversation_states")
    op.drop_table("app_secrets")
