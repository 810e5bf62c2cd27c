"""university of rows: journals, reopen cases and sanction proposals carry their university (issue 18)

Revision ID: 0008_university_of_rows
Revises: 0007_keyed_findings
Create Date: 2026-12-02

Additive. The backfill takes what the database already knows: a proposal's faculty and department
from its case, and a university from a journal of the same faculty when one knows it (a faculty
belongs to one university). Rows left with "" learn it when a JournalOpened of their faculty names
it (entrypoints/consumers.py); until then no university-wide list shows them.
"""

from alembic import op

revision = "0008_university_of_rows"
down_revision = "0007_keyed_findings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE journals ADD COLUMN university_id TEXT NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE reopen_cases ADD COLUMN university_id TEXT NOT NULL DEFAULT ''")
    for column in ("university_id", "faculty_id", "department_id"):
        op.execute(f"ALTER TABLE sanction_proposals ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    op.create_index("ix_journals_faculty", "journals", ["faculty_id"])
    op.create_index("ix_reopen_cases_university", "reopen_cases", ["university_id"])
    op.create_index("ix_sanction_proposals_university", "sanction_proposals", ["university_id", "status"])
    op.execute(
        """
        UPDATE reopen_cases c SET university_id = j.university_id
        FROM (SELECT DISTINCT ON (faculty_id) faculty_id, university_id FROM journals
              WHERE university_id <> '' ORDER BY faculty_id) j
        WHERE c.faculty_id = j.faculty_id AND c.university_id = ''
        """
    )
    op.execute(
        """
        UPDATE sanction_proposals p
        SET university_id = c.university_id, faculty_id = c.faculty_id, department_id = c.department_id
        FROM reopen_cases c WHERE c.case_id = p.case_id
        """
    )


def downgrade() -> None:
    op.drop_index("ix_sanction_proposals_university", table_name="sanction_proposals")
    op.drop_index("ix_reopen_cases_university", table_name="reopen_cases")
    op.drop_index("ix_journals_faculty", table_name="journals")
    for column in ("department_id", "faculty_id", "university_id"):
        op.execute(f"ALTER TABLE sanction_proposals DROP COLUMN {column}")
    op.execute("ALTER TABLE reopen_cases DROP COLUMN university_id")
    op.execute("ALTER TABLE journals DROP COLUMN university_id")
