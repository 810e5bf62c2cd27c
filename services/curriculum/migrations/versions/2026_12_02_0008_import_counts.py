"""import counts: what an import added, updated, removed and refused, kept for GetImport (issue 22)

Revision ID: 0008_import_counts
Revises: 0007_tenancy_university_id
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_import_counts"
down_revision = "0007_tenancy_university_id"
branch_labels = None
depends_on = None

COUNTS = ("rows_added", "rows_updated", "rows_removed", "removals_refused")


def upgrade() -> None:
    for name in COUNTS:
        op.add_column("imports", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("imports", sa.Column("sync", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    for name in (*COUNTS, "sync"):
        op.drop_column("imports", name)
