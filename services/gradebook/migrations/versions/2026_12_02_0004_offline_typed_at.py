"""offline typed_at: the history keeps the client's time of typing beside the time of acceptance
(issue 21, offline-first entry). Information only; closing rules use recorded_at.

Revision ID: 0004_offline_typed_at
Revises: 0003_least_privilege, 0003_names
Create Date: 2026-12-02
"""

from alembic import op

revision = "0004_offline_typed_at"
down_revision = ("0003_least_privilege", "0003_names")
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new nullable column: existing entries keep NULL and their hashes (the 14-element encoding).
    op.execute("ALTER TABLE history ADD COLUMN typed_at timestamptz")


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
