"""A published activity whose matching volunteers are still to be told of it.

Publishing commits the activity with this flag set and answers the coordinator; the notices
are written right after in their own transaction, which clears it. If the process dies in
between, the flag makes a restart finish the job, once.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "activities",
        sa.Column("announce_pending", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # Plain DROP COLUMN: a batch copy of `activities` would cascade-delete its participations.
    op.drop_column("activities", "announce_pending")
