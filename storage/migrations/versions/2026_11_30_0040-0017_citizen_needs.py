"""A citizen's needs on the day, the authority their support person answers on, and citizens
shared between support persons.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy would drop the ledger's append-only triggers on SQLite.
    op.add_column("consent_events", sa.Column("authority", sa.String(length=20), nullable=True))
    op.create_table(
        "citizen_needs",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("authority", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_citizen_needs_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citizen_id", name=op.f("pk_citizen_needs")),
    )
    op.create_table(
        "citizen_keepers",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_citizen_keepers_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_citizen_keepers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citizen_id", "person_id", name=op.f("pk_citizen_keepers")),
    )
    op.create_index(
        op.f("ix_citizen_keepers_person_id"), "citizen_keepers", ["person_id"], unique=False
    )
    # Every citizen so far has exactly one keeper: the support person who added them.
    op.execute(
        "INSERT INTO citizen_keepers (citizen_id, person_id, since) "
        "SELECT id, support_person_id, created_at FROM citizens"
    )
    op.create_table(
        "citizen_shares",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_citizen_shares_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_citizen_shares_created_by_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_citizen_shares")),
    )
    op.create_index(
        op.f("ix_citizen_shares_citizen_id"), "citizen_shares", ["citizen_id"], unique=False
    )

    op.create_table(
        "need_kinds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_kinds")),
    )
    op.create_table(
        "need_kind_names",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["need_kinds.id"],
            name=op.f("fk_need_kind_names_need_id_need_kinds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("need_id", "language", name=op.f("pk_need_kind_names")),
    )


def downgrade() -> None:
    op.drop_table("need_kind_names")
    op.drop_table("need_kinds")
    op.drop_index(op.f("ix_citizen_shares_citizen_id"), table_name="citizen_shares")
    op.drop_table("citizen_shares")
    op.drop_index(op.f("ix_citizen_keepers_person_id"), table_name="citizen_keepers")
    op.drop_table("citizen_keepers")
    op.drop_table("citizen_needs")
    op.drop_column("consent_events", "authority")
