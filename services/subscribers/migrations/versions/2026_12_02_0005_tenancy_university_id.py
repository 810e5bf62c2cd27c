"""deliveries carry their subscriber's university (issue 18, tenancy)

Revision ID: 0005_tenancy_university_id
Revises: 0004_nats_export
Create Date: 2026-12-02
"""

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0005_tenancy_university_id"
down_revision = "0004_nats_export"
branch_labels = None
depends_on = None

DELIVERIES = Derived(
    "deliveries", "(SELECT x.university_id FROM subscribers x WHERE x.subscriber_id = {row}.subscriber_id)"
)


def upgrade() -> None:
    add_derived_university_id(DELIVERIES)


def downgrade() -> None:
    drop_derived_university_id(DELIVERIES.table)
