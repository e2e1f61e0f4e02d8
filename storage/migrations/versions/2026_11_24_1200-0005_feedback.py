"""After an activity: one-press feedback from volunteers and support persons.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("given_as", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.String(length=5), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_feedback_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_feedback_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("activity_id", "person_id", name=op.f("uq_feedback_activity_id")),
    )
    op.create_index(op.f("ix_feedback_activity_id"), "feedback", ["activity_id"], unique=False)
    op.create_index(op.f("ix_feedback_person_id"), "feedback", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_feedback_person_id"), table_name="feedback")
    op.drop_index(op.f("ix_feedback_activity_id"), table_name="feedback")
    op.drop_table("feedback")
