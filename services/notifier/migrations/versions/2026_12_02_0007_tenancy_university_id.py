"""notices, deliveries, journals and absence streaks carry their university (issue 18, tenancy)

Revision ID: 0007_tenancy_university_id
Revises: 0006_notices_journal_names
Create Date: 2026-12-02

A notice's university is its recipient's (identity's ResolveRecipients says it); a journal's is the
gradebook's JournalOpened's. Rows from before are left NULL: the notifier has no source for them (a
notice's recipient is only an id here; a journal's event is not replayed).
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0007_tenancy_university_id"
down_revision = "0006_notices_journal_names"
branch_labels = None
depends_on = None

DERIVED = (
    Derived(
        "deliveries", "(SELECT x.university_id FROM notices x WHERE x.id = {row}.notice_id)", not_null=False
    ),
    Derived(
        "delivery_attempts",
        "(SELECT x.university_id FROM deliveries x WHERE x.id = {row}.delivery_id)",
        not_null=False,
    ),
    Derived(
        "absence_streaks",
        "(SELECT x.university_id FROM journals x WHERE x.journal_id = {row}.journal_id)",
        not_null=False,
    ),
)


def upgrade() -> None:
    op.execute("ALTER TABLE notices ADD COLUMN university_id text")
    op.execute("ALTER TABLE journals ADD COLUMN university_id text")
    for derived in DERIVED:
        add_derived_university_id(derived)


def downgrade() -> None:
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
    op.execute("ALTER TABLE journals DROP COLUMN university_id")
    op.execute("ALTER TABLE notices DROP COLUMN university_id")
