"""The coordinator team: an append-only audit log of what coordinators did, the menu each
person's chat was last published for, and an offer to become a coordinator.

The audit log is append-only in the database itself, like the consent ledger (0006): a
trigger refuses every DELETE and every UPDATE but the ones foreign keys make when a person or
an activity is erased (ON DELETE SET NULL): those only turn ids into NULL, every other column
unchanged, so an entry outlives whom it named without pointing at anyone.

On SQLite a batch migration that recreates audit_entries drops these triggers with the old
table: such a migration must create them again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEPT = ("id", "at", "action")
# Ids a foreign key may set to NULL when what they point at is erased, and nothing else.
UNLINKED = ("actor_person_id", "activity_id", "person_id")
MESSAGE = "audit_entries is append-only"


def _allowed(kept: str) -> str:
    unlinked = " AND ".join(
        f'(NEW."{column}" IS NULL OR NEW."{column}" IS NOT DISTINCT FROM OLD."{column}")'
        for column in UNLINKED
    )
    return f"({kept}) AND {unlinked}"


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: recreating `people` on SQLite would cascade-delete the
    # rows that point at it.
    op.add_column(
        "people", sa.Column("menu_for", sa.String(length=20), nullable=False, server_default="")
    )
    op.add_column("people", sa.Column("coordinator_offered_by", sa.Integer(), nullable=True))
    # Everyone's menu was published when they got their role: nothing is owed yet.
    op.execute(
        "UPDATE people SET menu_for = CASE "
        "WHEN role = 'coordinator' THEN 'coordinator' "
        "WHEN role = 'volunteer' AND consent_version IS NOT NULL THEN 'volunteer' "
        "WHEN role = 'support' AND consent_version IS NOT NULL THEN 'support' "
        "ELSE '' END"
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_person_id"],
            ["people.id"],
            name=op.f("fk_audit_entries_actor_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_audit_entries_activity_id_activities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_audit_entries_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    op.create_index(op.f("ix_audit_entries_actor_person_id"), "audit_entries", ["actor_person_id"])
    op.create_index(op.f("ix_audit_entries_activity_id"), "audit_entries", ["activity_id"])
    op.create_index(op.f("ix_audit_entries_person_id"), "audit_entries", ["person_id"])
    if op.get_bind().dialect.name == "sqlite":
        kept = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in KEPT)
        op.execute(
            "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
            f"WHEN NOT ({_allowed(kept).replace('IS NOT DISTINCT FROM', 'IS')}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        return
    new = ", ".join(f'NEW."{column}"' for column in KEPT)
    old = ", ".join(f'OLD."{column}"' for column in KEPT)
    op.execute(
        "CREATE FUNCTION audit_entries_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        # Nested: a TRUNCATE has no NEW row to look at.
        "IF TG_OP = 'UPDATE' THEN "
        f"IF {_allowed(f'ROW({new}) IS NOT DISTINCT FROM ROW({old})')} THEN RETURN NEW; END IF; "
        "END IF; "
        f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    op.drop_table("audit_entries")
    # Both databases drop a column in place (SQLite since 3.35): no batch, as in upgrade.
    op.execute("ALTER TABLE people DROP COLUMN coordinator_offered_by")
    op.execute("ALTER TABLE people DROP COLUMN menu_for")
