"""The consent ledger is append-only in the database itself, not only by convention.

A trigger refuses every DELETE on consent_events and every UPDATE but one: erasing a person
(/delete, retention) deletes their `people` row, and the foreign key's ON DELETE SET NULL then
unlinks their ledger rows by setting `person_id` to NULL. That UPDATE, and only that one (every
other column unchanged, `person_id` becoming NULL), is let through: the proof stays, under the
pseudonym, and no longer points at anyone.

On SQLite a batch migration that recreates consent_events drops these triggers with the old
table: such a migration must create them again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column a ledger row has, except person_id: none of them may ever change.
KEPT = (
    "id",
    "subject",
    "purpose",
    "action",
    "text_version",
    "text_sha256",
    "language",
    "legal_basis",
    "actor",
    "age_confirmed",
    "at",
)
MESSAGE = "consent_events is append-only"


def _sqlite_unchanged() -> str:
    return " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in KEPT)


def _postgresql_unchanged() -> str:
    new = ", ".join(f'NEW."{column}"' for column in KEPT)
    old = ", ".join(f'OLD."{column}"' for column in KEPT)
    return f"ROW({new}) IS NOT DISTINCT FROM ROW({old})"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events "
            f"WHEN NOT (NEW.person_id IS NULL AND {_sqlite_unchanged()}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION consent_events_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        # Nested: a TRUNCATE has no NEW row to look at.
        "IF TG_OP = 'UPDATE' THEN "
        f"IF NEW.person_id IS NULL AND {_postgresql_unchanged()} THEN RETURN NEW; END IF; "
        "END IF; "
        f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$"
    )
    op.execute(
        "CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events "
        "FOR EACH ROW EXECUTE FUNCTION consent_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION consent_events_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS consent_events_no_truncate ON consent_events")
    op.execute("DROP TRIGGER IF EXISTS consent_events_append_only ON consent_events")
    op.execute("DROP FUNCTION IF EXISTS consent_events_append_only()")
