"""each journal's names (discipline, group, lesson type), by which notices call it (issue 17)

Revision ID: 0006_notices_journal_names
Revises: 0005_observability_traceparent
Create Date: 2026-12-02
"""

from alembic import op

revision = "0006_notices_journal_names"
down_revision = "0005_observability_traceparent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE journals
            ADD COLUMN discipline TEXT NOT NULL DEFAULT '',
            ADD COLUMN group_name TEXT NOT NULL DEFAULT '',
            ADD COLUMN lesson_type TEXT NOT NULL DEFAULT '';
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE journals DROP COLUMN discipline, DROP COLUMN group_name, DROP COLUMN lesson_type")
