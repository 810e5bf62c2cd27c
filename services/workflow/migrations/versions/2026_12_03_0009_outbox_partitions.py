"""outbox and inbox partitioned by week of the event's time, pruned by dropping whole weeks (issues 18, 19)

The existing rows are copied into the partitioned tables; see ejournal_platform/event_partitions.py.

Revision ID: 0009_outbox_partitions
Revises: 0009_university_everywhere
Create Date: 2026-12-03
"""

from ejournal_platform.migrations import partition_event_tables_v2

revision = "0009_outbox_partitions"
down_revision = "0009_university_everywhere"
branch_labels = None
depends_on = None


def upgrade() -> None:
    partition_event_tables_v2("workflow")


def downgrade() -> None:
    raise NotImplementedError("events are never migrated down")
