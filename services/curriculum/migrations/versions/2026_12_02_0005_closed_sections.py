"""closed sections and substitutions, from gradebook's and identity's events (issue 13)

Revision ID: 0005_closed_sections
Revises: 0004_observability_traceparent
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ejournal_platform.db_roles import restrict_app_role

revision = "0005_closed_sections"
down_revision = "0004_observability_traceparent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "closed_sections",
        sa.Column("control_event_id", sa.Uuid(), nullable=False),
        sa.Column("journal_id", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("control_event_id", "journal_id"),
    )
    op.create_table(
        "substitutions",
        sa.Column("substitution_id", sa.Text(), nullable=False),
        sa.Column("absent_teacher_id", sa.Text(), nullable=False),
        sa.Column("substitute_id", sa.Text(), nullable=False),
        sa.Column("course_unit_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("substitution_id"),
    )
    # A closed section stays closed: the service's role only adds rows. A substitution only ends.
    restrict_app_role("curriculum", append_only=["closed_sections"], no_delete=["substitutions"])


def downgrade() -> None:
    op.drop_table("substitutions")
    op.drop_table("closed_sections")
