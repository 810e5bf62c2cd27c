"""signed statements: each statement's PDF with its PAdES signatures (issue 16)

Revision ID: 0003_signed
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = "0003_signed"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE signed_statement (
            statement_id text PRIMARY KEY,
            number text NOT NULL DEFAULT '',
            content_hash text NOT NULL DEFAULT '',
            pdf bytea NOT NULL,
            signers jsonb NOT NULL DEFAULT '[]',
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ix_signed_statement_number ON signed_statement (number);
        """
    )


def downgrade() -> None:
    raise NotImplementedError("signatures are a record: never migrated down")
