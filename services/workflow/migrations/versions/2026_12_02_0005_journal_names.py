"""journal names: the group and specialty a reopen explanation is checked against (issue 13)

Revision ID: 0005_journal_names
Revises: 0004_observability_traceparent
Create Date: 2026-12-02
"""

from alembic import op

revision = "0005_journal_names"
down_revision = "0004_observability_traceparent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE journals ADD COLUMN group_name TEXT NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE journals ADD COLUMN specialty_name TEXT NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE journals DROP COLUMN specialty_name")
    op.execute("ALTER TABLE journals DROP COLUMN group_name")
