"""course units keep their year of study (курс), for the reopen explanation form (issue 12)

Revision ID: 0006_course_number
Revises: 0005_observability_traceparent
Create Date: 2026-12-02
"""

from alembic import op

revision = "0006_course_number"
down_revision = "0005_observability_traceparent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0 until curriculum's next CourseUnitDefined of the unit (its whole state) is received.
    op.execute("ALTER TABLE course_units ADD COLUMN course_number INTEGER NOT NULL DEFAULT 0")


def downgrade() -> None:
    op.execute("ALTER TABLE course_units DROP COLUMN course_number")
