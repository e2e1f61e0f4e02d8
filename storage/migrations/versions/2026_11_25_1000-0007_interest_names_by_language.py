"""Interest names live in their own table, one row per language, instead of one column each.

Adding a language then needs no migration. The names already given (including the default
interests the first migration inserted) are copied over; slugs stay as they were.

On SQLite the old columns are dropped with ALTER TABLE ... DROP COLUMN, not a batch copy of
the table: a batch copy drops `interests`, and with foreign keys on, that would delete every
volunteer's interests and every name through ON DELETE CASCADE.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The two languages the columns held; later languages only ever have rows.
OLD_COLUMNS = {"da": "name_da", "en": "name_en"}


def upgrade() -> None:
    op.create_table(
        "interest_names",
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["interests.id"],
            name=op.f("fk_interest_names_interest_id_interests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interest_id", "language", name=op.f("pk_interest_names")),
    )
    for language, column in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                "INSERT INTO interest_names (interest_id, language, name) "
                f"SELECT id, :language, {column} FROM interests"
            ).bindparams(language=language)
        )
    for column in OLD_COLUMNS.values():
        op.drop_column("interests", column)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in OLD_COLUMNS.values():
        # NOT NULL needs a default while rows exist; SQLite cannot drop it without a table copy.
        op.add_column(
            "interests",
            sa.Column(column, sa.String(length=60), nullable=False, server_default=""),
        )
    for language, column in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE interests SET {column} = COALESCE(("
                "SELECT name FROM interest_names WHERE interest_names.interest_id = interests.id"
                " AND interest_names.language = :language), slug)"
            ).bindparams(language=language)
        )
        if not sqlite:
            op.alter_column("interests", column, server_default=None)
    op.drop_table("interest_names")
