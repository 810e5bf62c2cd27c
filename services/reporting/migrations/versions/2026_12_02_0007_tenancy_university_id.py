"""every read model and record of a university carries it (issue 18, tenancy)

Revision ID: 0007_tenancy_university_id
Revises: 0006_external_signatures
Create Date: 2026-12-02

The read models are projections of other services' events, which arrive in no promised order across
streams: a journal may come before the faculty that places it. So each table's trigger fills the
university from the structure the row names on insert and, while it is still NULL, on every update
(the next event about the row), and a rebuild fills every row whose structure has arrived. The column
stays nullable here for that reason.
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0007_tenancy_university_id"
down_revision = "0006_external_signatures"
branch_labels = None
depends_on = None

# A structure unit's university: walk parent_id up to the unit of kind 'university'.
_UNIVERSITY_OF = """
CREATE OR REPLACE FUNCTION rm_university_of(unit text) RETURNS text LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(unit_id, kind, parent_id, depth) AS (
        SELECT s.unit_id, s.kind, s.parent_id, 0 FROM rm_structure_unit s WHERE s.unit_id = unit
        UNION ALL
        SELECT s.unit_id, s.kind, s.parent_id, up.depth + 1
        FROM rm_structure_unit s JOIN up ON s.unit_id = up.parent_id
        WHERE up.kind <> 'university' AND up.depth < 8
    )
    SELECT up.unit_id FROM up WHERE up.kind = 'university' LIMIT 1
$$"""


def _by(table: str, key: str, column: str) -> str:
    return f"(SELECT x.university_id FROM {table} x WHERE x.{key} = {{row}}.{column})"


_FACULTY = "rm_university_of({row}.faculty_id)"
_JOURNAL = _by("rm_journal", "journal_id", "journal_id")
_STATEMENT = _by("rm_statement", "statement_id", "statement_id")
_PERSON = _by("rm_person", "person_id", "person_id")


def _derived(table: str, source: str) -> Derived:
    return Derived(table, source, not_null=False, on_update=True)


# Parents before children: each backfill reads its parent's column, already filled.
DERIVED = (
    _derived(
        "rm_structure_unit",
        "(CASE WHEN {row}.kind = 'university' THEN {row}.unit_id ELSE rm_university_of({row}.parent_id) END)",
    ),
    _derived("rm_person", _FACULTY),  # PersonCreated names it; the faculty places those from before
    _derived("rm_role", _PERSON),
    _derived("rm_course_unit", _FACULTY),
    _derived("rm_term", _by("rm_course_unit", "term_id", "term_id").replace(")", " LIMIT 1)", 1)),
    _derived("rm_enrollment", _FACULTY),
    _derived("rm_lesson", "rm_university_of({row}.group_id)"),
    _derived("rm_teaching_load", _FACULTY),
    _derived("rm_journal", _FACULTY),
    _derived("rm_section", _JOURNAL),
    _derived("rm_mark", _JOURNAL),
    _derived("rm_attendance", _JOURNAL),
    _derived("rm_statement", _FACULTY),
    _derived("rm_reopen_grant", _FACULTY),
    _derived("rm_dispute", _JOURNAL),
    _derived("rm_reopen_case", _FACULTY),
    _derived("rm_reopen_step", _by("rm_reopen_case", "case_id", "case_id")),
    # A sanction's subject is a teacher or a unit of the structure.
    _derived(
        "rm_sanction",
        "COALESCE(rm_university_of({row}.subject_id), "
        "(SELECT x.university_id FROM rm_person x WHERE x.person_id = {row}.subject_id))",
    ),
    # A measure's scope is a unit of the structure or a journal.
    _derived(
        "rm_corrective_measure",
        "COALESCE(rm_university_of({row}.scope_id), "
        "(SELECT x.university_id FROM rm_journal x WHERE x.journal_id = {row}.scope_id))",
    ),
    _derived("rm_journal_check", _FACULTY),
    _derived("rm_ungraded_day", _FACULTY),
    _derived("report_job", _by("rm_person", "person_id", "requested_by")),
    _derived(
        "archive_record",
        "COALESCE((SELECT x.university_id FROM rm_journal x WHERE x.journal_id = {row}.item_id), "
        "(SELECT x.university_id FROM rm_statement x WHERE x.statement_id = {row}.item_id))",
    ),
    _derived("signed_statement", _STATEMENT),
    _derived("external_signature", _STATEMENT),
)


def upgrade() -> None:
    op.execute(_UNIVERSITY_OF)
    for derived in DERIVED:
        add_derived_university_id(derived)


def downgrade() -> None:
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
    op.execute("DROP FUNCTION rm_university_of(text)")
