"""university everywhere: the rest of workflow's rows carry their university (issue 18)

Revision ID: 0009_university_everywhere
Revises: 0008_university_of_rows
Create Date: 2026-12-03

Migration 0008 placed journals, reopen cases and sanction proposals. The rows that hang from them get
a copy: a case's history and its counted reopen take the case's; a journal's sections, late
admissions, fill flags and weekly checks take the journal's; a corrective measure takes its case's or
its scope's. Each table gets the column, a backfill, and a `BEFORE INSERT ... WHEN (NEW.university_id
IS NULL)` trigger that fills it when an insert leaves it out (ejournal_platform.tenancy), so the
stores need not know the university. As in 0008, "" means not known yet (a section scheduled before
its journal was opened, a journal whose university the gradebook did not know); rows with a faculty
learn it with their journals (section_store.learn_university).

`effects` stays without it: its keys only say that a reminder or report was done once
(ejournal_platform.tenancy.NOT_UNIVERSITY_TABLES).
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0009_university_everywhere"
down_revision = "0008_university_of_rows"
branch_labels = None
depends_on = None


def _known(source: str) -> str:
    return f"COALESCE({source}, '')"


def _of_journal(key: str = "journal_id") -> str:
    return f"(SELECT j.university_id FROM journals j WHERE j.journal_id = {{row}}.{key})"


def _of_case() -> str:
    return "(SELECT c.university_id FROM reopen_cases c WHERE c.case_id = {row}.case_id)"


def _of_faculty() -> str:
    """A faculty belongs to one university: any journal of the faculty that knows it."""
    return (
        "(SELECT j.university_id FROM journals j WHERE j.faculty_id = {row}.faculty_id"
        " AND j.university_id <> '' LIMIT 1)"
    )


# A measure recorded on a case is the case's; one on a unit is placed by the unit.
MEASURE = (
    "COALESCE(NULLIF(" + _of_case() + ", ''), CASE {row}.scope_type"
    " WHEN 'university' THEN {row}.scope_id"
    " WHEN 'faculty' THEN (SELECT j.university_id FROM journals j WHERE j.faculty_id = {row}.scope_id"
    " AND j.university_id <> '' LIMIT 1)"
    " WHEN 'department' THEN (SELECT j.university_id FROM journals j WHERE j.department_id = {row}.scope_id"
    " AND j.university_id <> '' LIMIT 1) END)"
)

DERIVED = (
    Derived("reopen_case_history", _known(_of_case())),
    Derived("counted_reopens", _known(_of_case())),
    Derived("journal_sections", _known(f"COALESCE(NULLIF({_of_journal()}, ''), {_of_faculty()})")),
    Derived("late_admissions", _known(_of_journal())),
    Derived("fill_flags", _known(f"COALESCE(NULLIF({_of_journal()}, ''), {_of_faculty()})")),
    Derived("journal_checks", _known(f"COALESCE(NULLIF({_of_journal()}, ''), {_of_faculty()})")),
    Derived("corrective_measures", _known(MEASURE)),
)


# learn_university updates the rows still "" of one faculty on each JournalOpened: partial indexes of
# those rows only (few, and none once placed) keep that from scanning the tables.
UNPLACED = (
    ("journal_sections", "faculty_id"),
    ("counted_reopens", "faculty_id"),
    ("fill_flags", "faculty_id"),
    ("journal_checks", "faculty_id"),
    ("corrective_measures", "case_id"),
)


def upgrade() -> None:
    for derived in DERIVED:
        add_derived_university_id(derived, column_type="text")
    for table, key in UNPLACED:
        op.execute(f"CREATE INDEX ix_{table}_unplaced ON {table} ({key}) WHERE university_id = ''")


def downgrade() -> None:
    for table, _ in UNPLACED:
        op.execute(f"DROP INDEX ix_{table}_unplaced")
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
