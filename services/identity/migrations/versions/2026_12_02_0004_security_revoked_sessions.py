"""security: revoked sessions are listed by revocation time (every service asks each second which
sessions ended, issue 13's revocation); also joins the two 0003 heads into one.

Revision ID: 0004_security_revoked_sessions
Revises: 0003_contacts, 0003_least_privilege
Create Date: 2026-12-02
"""

from alembic import op

revision = "0004_security_revoked_sessions"
down_revision = ("0003_contacts", "0003_least_privilege")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL")


def downgrade() -> None:
    raise NotImplementedError("the record is never migrated down")
