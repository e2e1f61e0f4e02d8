"""Reminders at several offsets, answered with one tap, and calls for volunteers (issue 12):
the lead of the last reminder sent for an activity's start, the start a volunteer or a
support person confirmed, who was called to which activity when, and a photo of the meeting
point (Telegram's file_id).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL lead for a start reminded before: taken as the earliest offset's reminder, so the
    # later ones still go out and the earliest is not sent again.
    op.add_column("activities", sa.Column("reminded_lead_minutes", sa.Integer(), nullable=True))
    op.add_column("activities", sa.Column("meeting_photo", sa.String(200), nullable=True))
    op.add_column(
        "participations", sa.Column("confirmed_for", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("bookings", sa.Column("confirmed_for", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "volunteer_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "person_id"),
    )
    op.create_index(
        "ix_volunteer_calls_activity_id", "volunteer_calls", ["activity_id"], unique=False
    )
    op.create_index(
        "ix_volunteer_calls_person_called", "volunteer_calls", ["person_id", "called_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_volunteer_calls_person_called", table_name="volunteer_calls")
    op.drop_index("ix_volunteer_calls_activity_id", table_name="volunteer_calls")
    op.drop_table("volunteer_calls")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("confirmed_for")
    with op.batch_alter_table("participations") as batch:
        batch.drop_column("confirmed_for")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("reminded_lead_minutes")
        batch.drop_column("meeting_photo")
