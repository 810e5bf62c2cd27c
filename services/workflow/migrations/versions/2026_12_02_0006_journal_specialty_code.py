"""journal specialty code: a reopen explanation may name the specialty by its code (issue 13)

Revision ID: 0006_journal_specialty_code
Revises: 0005_journal_names
Create Date: 2026-12-02
"""

from alembic import op

revision = "0006_journal_specialty_code"
down_revision = "0005_journal_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE journals ADD COLUMN specialty_code TEXT NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE journals DROP COLUMN specialty_code")
