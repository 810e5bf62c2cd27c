"""external signatures: a signature reserved in a statement's PDF until an external signer (NCALayer, a
smart card) returns its value (issue 16)

Revision ID: 0006_external_signatures
Revises: 0005_structure_units
Create Date: 2026-12-02
"""

from alembic import op

revision = "0006_external_signatures"
down_revision = "0005_structure_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE external_signature (
            signing_id text PRIMARY KEY,
            statement_id text NOT NULL DEFAULT '',
            role text NOT NULL DEFAULT '',
            person_id text NOT NULL DEFAULT '',
            prepared_pdf bytea NOT NULL,
            pending jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ix_external_signature_statement ON external_signature (statement_id);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE external_signature")
