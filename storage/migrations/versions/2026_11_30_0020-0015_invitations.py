"""Roles that are given, not claimed: invitations (only a hash of each token), and support
persons' requests awaiting a coordinator. Support persons registered before keep their role.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_invitations_created_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"],
            ["people.id"],
            name=op.f("fk_invitations_opened_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_invitations_token_sha256")),
    )
    op.create_index(op.f("ix_invitations_created_by"), "invitations", ["created_by"], unique=False)
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("support_status", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("support_decided_by", sa.Integer(), nullable=True))
    # Support persons registered before invitations existed keep their role.
    op.execute(
        "UPDATE people SET support_status = 'approved' "
        "WHERE role = 'support' AND signup_completed_at IS NOT NULL"
    )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch would copy the people table,
    # and dropping the old copy would cascade to every row that refers to a person.
    op.drop_column("people", "support_decided_by")
    op.drop_column("people", "support_status")
    op.drop_index(op.f("ix_invitations_created_by"), table_name="invitations")
    op.drop_table("invitations")
