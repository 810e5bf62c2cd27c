"""keyed findings: the weekly check's findings as catalog keys with values, said in the reader's language

Revision ID: 0007_keyed_findings
Revises: 0006_journal_specialty_code
Create Date: 2026-12-02
"""

from alembic import op

revision = "0007_keyed_findings"
down_revision = "0006_journal_specialty_code"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Checks recorded before keep only their English findings (the API then has no keyed ones).
    op.execute("ALTER TABLE journal_checks ADD COLUMN keyed_findings JSONB NOT NULL DEFAULT '[]'::jsonb")


def downgrade() -> None:
    op.execute("ALTER TABLE journal_checks DROP COLUMN keyed_findings")
