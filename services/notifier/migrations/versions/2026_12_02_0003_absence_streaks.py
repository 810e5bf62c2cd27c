"""absence streaks per student and journal

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE absence_streaks (
            journal_id TEXT NOT NULL,
            student_id TEXT NOT NULL,
            lessons TEXT[] NOT NULL,
            CONSTRAINT pk_absence_streaks PRIMARY KEY (journal_id, student_id)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE absence_streaks")
