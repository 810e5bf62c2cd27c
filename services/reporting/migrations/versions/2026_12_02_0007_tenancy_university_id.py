"""every read model and record of a university carries it (issue 18, tenancy)

Revision ID: 0007_tenancy_university_id
Revises: 0006_external_signatures
Create Date: 2026-12-02

The read models are projections of other services' events, which arrive in no promised order across
streams: a journal may come before the faculty that places it. So each table's trigger fills the
university from the structure the row names on insert and, while it is still NULL, on every update
(the next event about the row). And when a row others are placed by arrives (a structure unit, a
person, a journal, a statement, a course unit, a reopen case), the rows still waiting for it are filled
at once: `rm_fill_waiting_universities` re-asks every table's NULL rows, found through a partial index
that holds only them (so the pass costs nothing while nothing waits). The column stays nullable here:
a row whose structure never arrives keeps waiting.
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0007_tenancy_university_id"
down_revision = "0006_external_signatures"
branch_labels = None
depends_on = None

# A structure unit's university: walk parent_id up to the university, or to a faculty, whose parent
# is its university (curriculum's StructureUnitDefined), whether or not the university's own row came.
_UNIVERSITY_OF = """
CREATE OR REPLACE FUNCTION rm_university_of(unit text) RETURNS text LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(unit_id, kind, parent_id, depth) AS (
        SELECT s.unit_id, s.kind, s.parent_id, 0 FROM rm_structure_unit s WHERE s.unit_id = unit
        UNION ALL
        SELECT s.unit_id, s.kind, s.parent_id, up.depth + 1
        FROM rm_structure_unit s JOIN up ON s.unit_id = up.parent_id
        WHERE up.kind NOT IN ('university', 'faculty') AND up.depth < 8
    )
    SELECT CASE WHEN up.kind = 'university' THEN up.unit_id ELSE NULLIF(up.parent_id, '') END
    FROM up WHERE up.kind IN ('university', 'faculty') ORDER BY up.depth LIMIT 1
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


# Each table's first key column (the partial index of its waiting rows is on it); the rest are rm_<x>_id.
WAITING_KEY = {
    "rm_structure_unit": "unit_id", "rm_role": "assignment_id", "rm_course_unit": "course_unit_id",
    "rm_enrollment": "student_id", "rm_teaching_load": "load_id", "rm_section": "journal_id",
    "rm_mark": "journal_id", "rm_attendance": "journal_id", "rm_reopen_grant": "grant_id",
    "rm_reopen_step": "case_id", "rm_reopen_case": "case_id", "rm_sanction": "proposal_id",
    "rm_corrective_measure": "measure_id", "rm_journal_check": "journal_id",
    "rm_ungraded_day": "journal_id", "report_job": "job_id", "archive_record": "archive_id",
    "signed_statement": "statement_id", "external_signature": "signing_id",
}  # fmt: skip

# The tables other rows are placed by: a statement on one of them fills the rows waiting for it.
ANCHORS = ("rm_structure_unit", "rm_person", "rm_journal", "rm_statement", "rm_course_unit", "rm_reopen_case")


def _fill_waiting() -> str:
    # Setting NULL again fires the table's BEFORE UPDATE trigger, which asks the parents once more;
    # parents come first, so one pass places a chain. Its own updates do not start another pass.
    updates = "\n".join(
        f"    UPDATE {d.table} SET university_id = NULL WHERE university_id IS NULL;" for d in DERIVED
    )
    return f"""
CREATE OR REPLACE FUNCTION rm_fill_waiting_universities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
{updates}
    RETURN NULL;
END $$"""


def upgrade() -> None:
    op.execute(_UNIVERSITY_OF)
    for derived in DERIVED:
        add_derived_university_id(derived)
        key = WAITING_KEY.get(derived.table, derived.table.removeprefix("rm_") + "_id")
        op.execute(
            f"CREATE INDEX ix_{derived.table}_university_waiting ON {derived.table} ({key})"
            " WHERE university_id IS NULL"
        )
    op.execute(_fill_waiting())
    for anchor in ANCHORS:
        op.execute(
            f"CREATE TRIGGER {anchor}_fill_waiting AFTER INSERT OR UPDATE ON {anchor}"
            " FOR EACH STATEMENT EXECUTE FUNCTION rm_fill_waiting_universities()"
        )


def downgrade() -> None:
    for anchor in ANCHORS:
        op.execute(f"DROP TRIGGER {anchor}_fill_waiting ON {anchor}")
    op.execute("DROP FUNCTION rm_fill_waiting_universities()")
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
    op.execute("DROP FUNCTION rm_university_of(text)")
