"""An activity below its minimum of volunteers near the start is put to the coordinators.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minimum_questions",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_minimum_questions_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["people.id"],
            name=op.f("fk_minimum_questions_decided_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("activity_id", "starts_at", name=op.f("pk_minimum_questions")),
    )


def downgrade() -> None:
    op.drop_table("minimum_questions")
