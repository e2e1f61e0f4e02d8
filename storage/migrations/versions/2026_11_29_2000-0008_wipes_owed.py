"""A note that erased bytes are still to be wiped from the database files (storage.wipe).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wipes_owed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owed_since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wipes_owed")),
    )


def downgrade() -> None:
    op.drop_table("wipes_owed")
