"""names: the gradebook's copy of the printable names of structure units and people, sealed into each
statement at formation (issue 16).

Revision ID: 0003_names
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = "0003_names"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE names (
            name_id uuid PRIMARY KEY,
            kind text NOT NULL,
            code text NOT NULL DEFAULT '',
            title text NOT NULL,
            parent_id uuid,
            time_zone text NOT NULL DEFAULT '',
            profile_code text NOT NULL DEFAULT '',
            defined_at timestamptz NOT NULL
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
