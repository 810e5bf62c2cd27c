"""structure units: reporting's own printable names of the structure, from curriculum's
StructureUnitDefined (issue 16: documents print no names a client sent)

Revision ID: 0005_structure_units
Revises: 0004_observability_traceparent
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_structure_units"
down_revision = "0004_observability_traceparent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rm_structure_unit",
        sa.Column("unit_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), server_default="", nullable=False),
        sa.Column("code", sa.Text(), server_default="", nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("parent_id", sa.Text(), server_default="", nullable=False),
        sa.Column("time_zone", sa.Text(), server_default="", nullable=False),
        sa.Column("profile_code", sa.Text(), server_default="", nullable=False),
        sa.Column("defined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_rm_structure_unit")),
    )
    # A replay of curriculum's stream fills it (units defined before the event existed: curriculum's
    # `republish_structure` backfill).


def downgrade() -> None:
    op.drop_table("rm_structure_unit")
