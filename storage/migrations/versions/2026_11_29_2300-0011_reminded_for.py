"""Each activity remembers the start time it was reminded of, so the reminder job asks only
for activities whose reminder is due and not yet enqueued, instead of rescanning the window.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for activities reminded before: the next run enqueues their reminders again, and
    # the outbox's dedupe keys (activity, person, start) make that send nothing twice.
    op.add_column(
        "activities", sa.Column("reminded_for", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_activities_reminder_due",
        "activities",
        ["starts_at", "status", "reminded_for"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_activities_reminder_due", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("reminded_for")
