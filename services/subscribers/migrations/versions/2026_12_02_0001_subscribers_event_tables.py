"""outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from ejournal_platform.migrations import create_event_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_event_tables_v1()


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
