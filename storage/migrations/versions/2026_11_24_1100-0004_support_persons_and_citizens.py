"""Support persons' organisation, the citizens they book, and their bookings.

Revision ID: 0004
Revises: 0003_outbox
Create Date: 2026-11-23 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("organisation", sa.String(length=120), nullable=True))
    op.create_table(
        "citizens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_person_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=False),
        sa.Column("consent_ref", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_person_id"],
            ["people.id"],
            name=op.f("fk_citizens_support_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizens")),
        sa.UniqueConstraint("consent_ref", name=op.f("uq_citizens_consent_ref")),
    )
    op.create_index(
        op.f("ix_citizens_support_person_id"), "citizens", ["support_person_id"], unique=False
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_bookings_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_bookings_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booked_by"],
            ["people.id"],
            name=op.f("fk_bookings_booked_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("activity_id", "citizen_id", name=op.f("uq_bookings_activity_id")),
    )
    op.create_index(op.f("ix_bookings_activity_id"), "bookings", ["activity_id"], unique=False)
    op.create_index(op.f("ix_bookings_citizen_id"), "bookings", ["citizen_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_bookings_citizen_id"), table_name="bookings")
    op.drop_index(op.f("ix_bookings_activity_id"), table_name="bookings")
    op.drop_table("bookings")
    op.drop_index(op.f("ix_citizens_support_person_id"), table_name="citizens")
    op.drop_table("citizens")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("organisation")
