"""university everywhere: every gradebook row that belongs to a university carries it (issue 18)

Revision ID: 0008_university_everywhere
Revises: 0007_partition_by_term
Create Date: 2026-12-03

Migration 0007 gave `journals` their university (the faculty's parent, kept by its triggers); this one
copies it onto every row that hangs from a journal, and places the projections of curriculum's
structure (course units, lessons, control events, enrollments) by walking `names` up to the
university. Each table gets the column, a backfill from its parent, and a `BEFORE INSERT` trigger
`WHEN (NEW.university_id IS NULL)` that fills it when an insert leaves it out
(ejournal_platform.tenancy.add_derived_university_id).

Marks, attendance and history are the hot write path: the service's own INSERTs supply the university
(adapters/cells_sql.py), so their trigger's WHEN is false and no function runs; the trigger is there
for every other insert path (imports, the benchmark's COPY, raw SQL). The column is not hashed: the
history chain and VerifyJournal are unchanged. On the partitioned tables the column and the row
triggers are added on the parent and reach every partition, present and future (a new term's
partitions are made `LIKE` the parent and attached, which clones the row triggers).

Nullable everywhere: a journal knows its university only once its faculty's name has arrived
(`journals.university_id` is itself nullable), and a projection may arrive before the structure that
places it. The projections' triggers also fire on UPDATE while the column is NULL, so a re-projected
course unit, lesson, control event, enrollment, column or section learns it; rows of the record
(history, statements, marks of a closed section) are never rewritten to learn it later.

At 20 M marks the backfill rewrites the three partitioned tables (~60 M rows, like migration 0007's
conversion): minutes of downtime for the gradebook, announced with the release.
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0008_university_everywhere"
down_revision = "0007_partition_by_term"
branch_labels = None
depends_on = None

# A structure unit's university: walk `names` (curriculum's structure as the gradebook knows it) up to
# a university, or to a faculty, whose parent is its university (the rule migration 0007 keeps for
# journals). NULL while a unit on the way has not arrived. Depth-limited: the tree is a few levels
# deep, and a cycle in projected data must not hang an insert.
UNIVERSITY_OF = """
CREATE FUNCTION ejournal_university_of(p_unit uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(name_id, kind, parent_id, depth) AS (
        SELECT n.name_id, n.kind, n.parent_id, 0 FROM names n WHERE n.name_id = p_unit AND n.kind <> 'person'
        UNION ALL
        SELECT n.name_id, n.kind, n.parent_id, up.depth + 1 FROM names n JOIN up ON n.name_id = up.parent_id
        WHERE up.kind NOT IN ('university', 'faculty') AND up.depth < 12
    )
    SELECT CASE WHEN kind = 'university' THEN name_id ELSE parent_id END
    FROM up WHERE kind IN ('university', 'faculty') LIMIT 1
$$"""

# Braces doubled: a Derived source is a format string ({row}).
UUID_PATTERN = "'^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$'"


def _journal(key: str = "journal_id") -> str:
    return f"(SELECT j.university_id FROM journals j WHERE j.journal_id = {{row}}.{key})"


def _unit(key: str) -> str:
    return f"(SELECT u.university_id FROM course_units u WHERE u.course_unit_id = {{row}}.{key})"


# Parents before children: each backfill reads its parent's column, already filled.
DERIVED = (
    Derived(
        "course_units",
        "COALESCE(ejournal_university_of({row}.faculty_id), ejournal_university_of({row}.department_id),"
        " (SELECT p.university_id FROM course_units p WHERE p.course_unit_id = {row}.parent_id))",
        not_null=False,
        on_update=True,
    ),
    Derived("lessons", _unit("course_unit_id"), not_null=False, on_update=True),
    Derived("control_events", _unit("course_unit_id"), not_null=False, on_update=True),
    Derived("enrollments", "ejournal_university_of({row}.group_id)", not_null=False, on_update=True),
    # An absent teacher's substitution: its journals', else its course units'.
    Derived(
        "substitutions",
        "COALESCE((SELECT j.university_id FROM journals j WHERE j.journal_id = {row}.journal_ids[1]),"
        " (SELECT u.university_id FROM course_units u WHERE u.course_unit_id = {row}.course_unit_ids[1]))",
        not_null=False,
    ),
    Derived("journal_teachers", _journal(), not_null=False, on_update=True),
    Derived("sections", _journal(), not_null=False, on_update=True),
    Derived("columns", _journal(), not_null=False, on_update=True),
    Derived("chain_heads", _journal(), not_null=False),
    Derived("checkins", _journal(), not_null=False),
    Derived("reopen_grants", _journal(), not_null=False),
    Derived("reopen_grant_log", _journal(), not_null=False),
    Derived("disputes", _journal(), not_null=False),
    Derived(
        "dispute_messages",
        "(SELECT d.university_id FROM disputes d WHERE d.dispute_id = {row}.dispute_id)",
        not_null=False,
    ),  # fmt: skip
    # A statement of a journal's section, or an integrated one of a course unit and group.
    Derived("statements", f"COALESCE({_journal()}, {_unit('course_unit_id')})", not_null=False),
    # Numbered per series and term; a term belongs to one university (its journals').
    Derived(
        "statement_counters",
        "(SELECT j.university_id FROM journals j WHERE j.term_id = (CASE WHEN {row}.term_id ~* "
        + UUID_PATTERN
        + " THEN {row}.term_id::uuid END) AND j.university_id IS NOT NULL LIMIT 1)",
        not_null=False,
    ),
    # The hot write path supplies it (cells_sql.py): the trigger serves the other insert paths.
    Derived("marks", _journal(), not_null=False),
    Derived("attendance", _journal(), not_null=False),
    Derived("history", _journal(), not_null=False),
)


def upgrade() -> None:
    op.execute(UNIVERSITY_OF)
    for derived in DERIVED:
        add_derived_university_id(derived, column_type="uuid")


def downgrade() -> None:
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
    op.execute("DROP FUNCTION ejournal_university_of(uuid)")
