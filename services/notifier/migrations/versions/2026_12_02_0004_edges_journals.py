"""each journal's group and profile, so absence marks count toward absences in a row (lane edges)

Revision ID: 0004_edges_journals
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op

revision = "0004_edges_journals"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE journals (
            journal_id TEXT NOT NULL,
            group_id TEXT NOT NULL,
            profile_code TEXT NOT NULL,
            CONSTRAINT pk_journals PRIMARY KEY (journal_id)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE journals")
