"""outbox rows keep the W3C traceparent of the span that wrote them (issue 18, observability)

Revision ID: 0005_observability_traceparent
Revises: 0004_offline_typed_at
Create Date: 2026-12-02
"""

from alembic import op

revision = "0005_observability_traceparent"
down_revision = "0004_offline_typed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The relay publishes each event as a child span of the one that wrote it (ejournal_platform.telemetry).
    op.execute("ALTER TABLE outbox ADD COLUMN traceparent TEXT")


def downgrade() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN traceparent")
