"""recorded cells: where gradebook recorded marks or attendance (issue 22, sync imports)

Revision ID: 0006_recorded_cells
Revises: 0005_closed_sections
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from ejournal_platform.db_roles import restrict_app_role

revision = "0006_recorded_cells"
down_revision = "0005_closed_sections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recorded_cells",
        sa.Column("lesson_id", sa.Text(), nullable=False),
        sa.Column("student_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("lesson_id", "student_id"),
    )
    op.create_index("ix_recorded_cells_student_id", "recorded_cells", ["student_id"])
    restrict_app_role("curriculum", append_only=["recorded_cells"])


def downgrade() -> None:
    op.drop_table("recorded_cells")
