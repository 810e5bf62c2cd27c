"""every row of a university's structure, calendar, curriculum, schedule and contingent carries it
(issue 18, tenancy)

Revision ID: 0007_tenancy_university_id
Revises: 0006_recorded_cells
Create Date: 2026-12-02
"""

from alembic import op

from ejournal_platform.tenancy import Derived, add_derived_university_id, drop_derived_university_id

revision = "0007_tenancy_university_id"
down_revision = "0006_recorded_cells"
branch_labels = None
depends_on = None


def _of(parent: str, key: str) -> str:
    return f"(SELECT x.university_id FROM {parent} x WHERE x.id = {{row}}.{key})"


# Ids kept as text (events' ids, an import's kind "<kind>:<academic year>") compare as uuid, so the
# parent's primary key is used; text that is no uuid finds nothing.
_TRY_UUID = """
CREATE OR REPLACE FUNCTION try_uuid(value text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN value::uuid END
$$"""

_AUDITED = {
    "faculty": "faculties", "department": "departments", "specialty": "specialties",
    "academic_year": "academic_years", "term": "terms", "classroom": "classrooms",
    "control_event": "control_events", "course_unit": "course_units", "group": "groups",
    "subgroup": "subgroups", "lesson": "lessons", "lesson_plan": "lesson_plans",
    "teaching_load": "teaching_loads", "import": "imports", "movement": "movements",
}  # fmt: skip
_AUDIT_SOURCE = (
    "(CASE {row}.entity WHEN 'university' THEN {row}.entity_id "
    + " ".join(
        f"WHEN '{entity}' THEN (SELECT x.university_id FROM {table} x WHERE x.id = {{row}}.entity_id)"
        for entity, table in _AUDITED.items()
    )
    + " END)"
)

# Parents before children: each backfill reads its parent's column, already filled.
DERIVED = (
    Derived("departments", _of("faculties", "faculty_id")),
    Derived("specialties", _of("faculties", "faculty_id")),
    Derived("terms", _of("academic_years", "academic_year_id")),
    Derived("groups", _of("academic_years", "academic_year_id"), index=True),
    Derived("subgroups", _of("groups", "group_id")),
    Derived("course_units", _of("academic_years", "academic_year_id")),
    Derived("course_unit_hours", _of("course_units", "course_unit_id")),
    Derived("control_events", _of("terms", "term_id")),
    Derived("teaching_loads", _of("faculties", "faculty_id")),
    Derived("plan_uploaders", _of("departments", "department_id")),
    Derived("lesson_plans", _of("departments", "department_id")),
    Derived("lesson_plan_items", _of("lesson_plans", "plan_id")),
    Derived("lessons", _of("terms", "term_id")),
    Derived(
        "movements",
        "(SELECT x.university_id FROM groups x WHERE x.id = COALESCE({row}.group_id, {row}.from_group_id))",
    ),
    Derived("placements", _of("groups", "group_id")),
    # Rows of the gradebook's events: one naming a section or column curriculum does not know (a
    # journal's own column) is kept, with no university, rather than stopping the consumer.
    Derived("closed_sections", _of("control_events", "control_event_id"), not_null=False),
    # A lesson's column, or a control event's (gradebook's column ids are either).
    Derived(
        "recorded_cells",
        "COALESCE((SELECT x.university_id FROM lessons x WHERE x.id = try_uuid({row}.lesson_id)),"
        " (SELECT x.university_id FROM control_events x WHERE x.id = try_uuid({row}.lesson_id)))",
        not_null=False,
    ),
    Derived(
        "imports",
        "(SELECT x.university_id FROM academic_years x WHERE x.id = try_uuid(split_part({row}.kind, ':', 2)))",
        not_null=False,
    ),
    # identity's SubstitutionAppointed names the university (the consumer stores it); rows from before
    # are placed by a teaching load of the absent teacher, when curriculum knows one.
    Derived(
        "substitutions",
        "(SELECT x.university_id FROM teaching_loads x WHERE x.teacher_id = try_uuid({row}.absent_teacher_id)"
        " LIMIT 1)",
        not_null=False,
    ),
    # Entities of other kinds (none today) leave it empty.
    Derived("audit_log", _AUDIT_SOURCE, not_null=False),
)


def upgrade() -> None:
    op.execute(_TRY_UUID)
    for derived in DERIVED:
        add_derived_university_id(derived, column_type="uuid")


def downgrade() -> None:
    for derived in reversed(DERIVED):
        drop_derived_university_id(derived.table)
    op.execute("DROP FUNCTION try_uuid(text)")
