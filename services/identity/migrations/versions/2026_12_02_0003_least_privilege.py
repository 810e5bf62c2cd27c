"""least privilege: the service role only adds to its record, never changes or removes it; failed
attempts at unknown logins are found by login, so they lock out like known ones (no existence oracle).

Revision ID: 0003_least_privilege
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

from ejournal_platform.db_roles import restrict_app_role

revision = "0003_least_privilege"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    restrict_app_role("identity", append_only=["person_audit", "login_attempts"])
    op.execute(
        "CREATE INDEX ix_login_attempts_unknown_login ON login_attempts (login, at) WHERE person_id IS NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("the record is never migrated down")
