"""Read-model tables: reporting's own copy of the facts it needs, built only from events.

Everything here can be dropped and rebuilt by replaying the streams from their start (see
service_layer/rebuild.py), so the tables are plain projections: one row per thing, upserted by id,
guarded by the publisher's `revision`/`version` so an older copy never overwrites a newer one.
Core tables (not ORM classes) because the projections are bulk upserts and the reports are queries.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    FetchedValue,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
)

from services.reporting.adapters.tables import metadata


def _text(name: str, **kw: object) -> Column[str]:
    return Column(name, Text, nullable=False, server_default="", **kw)  # type: ignore[arg-type]


def _university() -> Column[str]:
    """The row's university (issue 18, ejournal_platform.tenancy), filled by the database from the
    structure the row names (migration 0007) on insert and, while still unknown, on each update: a
    projection may be written before the structure that places it arrives. NULL until then."""
    return Column("university_id", Text, server_default=FetchedValue())


# -- identity ----------------------------------------------------------------------------------------
person = Table(
    "rm_person",
    metadata,
    Column("person_id", Text, primary_key=True),
    _text("login"),
    _text("full_name"),
    _text("last_name"),
    _text("first_name"),
    _text("patronymic"),
    _text("category"),
    _text("faculty_id"),
    _text("department_id"),
    _text("group_id"),
    _text("profile_code"),
    _text("status"),
    _university(),
)

role = Table(
    "rm_role",
    metadata,
    Column("assignment_id", Text, primary_key=True),
    _text("person_id"),
    _text("role"),
    _text("scope_type"),
    _text("scope_id"),
    Column("revoked", Boolean, nullable=False, server_default="false"),
    _university(),
)
Index("ix_rm_role_scope", role.c.role, role.c.scope_type, role.c.scope_id)

# -- curriculum --------------------------------------------------------------------------------------
course_unit = Table(
    "rm_course_unit",
    metadata,
    Column("course_unit_id", Text, primary_key=True),
    _text("kind"),
    _text("parent_id"),
    _text("profile_code"),
    _text("title"),
    _text("code"),
    _text("term_id"),
    _text("academic_year_id"),
    _text("specialty_id"),
    Column("course_number", Integer, nullable=False, server_default="0"),
    _text("department_id"),
    _text("faculty_id"),
    Column("removed", Boolean, nullable=False, server_default="false"),
    Column("revision", BigInteger, nullable=False, server_default="0"),
    _university(),
)

term = Table(
    "rm_term",
    metadata,
    Column("term_id", Text, primary_key=True),
    _text("academic_year_id"),
    Column("number", Integer, nullable=False, server_default="0"),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("revision", BigInteger, nullable=False, server_default="0"),
    _university(),
)

enrollment = Table(
    "rm_enrollment",
    metadata,
    Column("student_id", Text, primary_key=True),
    _text("group_id"),
    _text("subgroup_id"),
    _text("faculty_id"),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("effective_date", Date),
    _university(),
)
Index("ix_rm_enrollment_group", enrollment.c.group_id)

lesson = Table(
    "rm_lesson",
    metadata,
    Column("lesson_id", Text, primary_key=True),
    _text("course_unit_id"),
    _text("group_id"),
    _text("subgroup_id"),
    _text("lesson_type"),
    Column("lesson_date", Date),
    _text("starts_at"),
    _text("ends_at"),
    _text("classroom_id"),
    _text("topic"),
    Column("number", Integer, nullable=False, server_default="0"),
    _text("teacher_id"),
    _text("term_id"),
    _text("load_id"),
    Column("cancelled", Boolean, nullable=False, server_default="false"),
    Column("revision", BigInteger, nullable=False, server_default="0"),
    _university(),
)
Index("ix_rm_lesson_unit_group", lesson.c.course_unit_id, lesson.c.group_id, lesson.c.lesson_type)

teaching_load = Table(
    "rm_teaching_load",
    metadata,
    Column("load_id", Text, primary_key=True),
    _text("teacher_id"),
    _text("course_unit_id"),
    _text("group_id"),
    _text("subgroup_id"),
    _text("lesson_type"),
    _text("term_id"),
    _text("department_id"),
    _text("faculty_id"),
    Column("hours", Integer, nullable=False, server_default="0"),
    _text("profile_code"),
    Column("removed", Boolean, nullable=False, server_default="false"),
    Column("revision", BigInteger, nullable=False, server_default="0"),
    _university(),
)

# Printable names of the structure (curriculum's StructureUnitDefined): what documents print for a
# university, faculty, department, specialty or group; the latest definition wins.
structure_unit = Table(
    "rm_structure_unit",
    metadata,
    Column("unit_id", Text, primary_key=True),
    _text("kind"),
    _text("code"),
    _text("title"),
    _text("parent_id"),
    _text("time_zone"),
    _text("profile_code"),
    Column("defined_at", DateTime(timezone=True), nullable=False),
    _university(),
)

# -- gradebook ---------------------------------------------------------------------------------------
journal = Table(
    "rm_journal",
    metadata,
    Column("journal_id", Text, primary_key=True),
    _text("term_id"),
    _text("course_unit_id"),
    _text("group_id"),
    _text("subgroup_id"),
    _text("lesson_type"),
    Column("teacher_ids", ARRAY(Text), nullable=False, server_default="{}"),
    _text("department_id"),
    _text("faculty_id"),
    _text("profile_code"),
    _text("title"),
    Column("locked_at", DateTime(timezone=True)),
    Column("archived", Boolean, nullable=False, server_default="false"),
    _university(),
)
Index("ix_rm_journal_unit_group", journal.c.course_unit_id, journal.c.group_id)

section = Table(
    "rm_section",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("section", Text, primary_key=True),
    _text("control_kind"),
    Column("section_date", Date),
    Column("closing_deadline", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    _text("closed_by"),
    _text("statement_id"),
    _university(),
)

mark = Table(
    "rm_mark",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("column_id", Text, primary_key=True),
    Column("student_id", Text, primary_key=True),
    _text("value"),
    _text("column_kind"),
    _text("section"),
    _text("author_id"),
    _text("on_behalf_of_id"),
    _text("case_id"),
    Column("recorded_at", DateTime(timezone=True)),
    Column("first_recorded_at", DateTime(timezone=True)),
    Column("version", BigInteger, nullable=False, server_default="0"),
    _university(),
)

attendance = Table(
    "rm_attendance",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("lesson_id", Text, primary_key=True),
    Column("student_id", Text, primary_key=True),
    _text("status"),
    _text("source"),
    Column("recorded_at", DateTime(timezone=True)),
    Column("first_recorded_at", DateTime(timezone=True)),
    Column("version", BigInteger, nullable=False, server_default="0"),
    _university(),
)

statement = Table(
    "rm_statement",
    metadata,
    Column("statement_id", Text, primary_key=True),
    _text("series"),
    Column("number", BigInteger, nullable=False),
    _text("term_id"),
    _text("kind"),
    _text("journal_id"),
    _text("section"),
    _text("course_unit_id"),
    _text("group_id"),
    _text("content_hash"),
    Column("formed_at", DateTime(timezone=True)),
    _text("formed_by"),
    _text("original_statement_id"),
    _text("case_id"),
    Column("student_ids", ARRAY(Text), nullable=False, server_default="{}"),
    _text("department_id"),
    _text("faculty_id"),
    # The full statement (gradebook's Statement message, as served by GetStatement), fetched once.
    Column("content", LargeBinary),
    Column("archived", Boolean, nullable=False, server_default="false"),
    _university(),
)
Index("ix_rm_statement_journal", statement.c.journal_id)

reopen_grant = Table(
    "rm_reopen_grant",
    metadata,
    Column("grant_id", Text, primary_key=True),
    _text("case_id"),
    _text("teacher_id"),
    _text("journal_id"),
    _text("section"),
    Column("granted_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),
    _text("department_id"),
    _text("faculty_id"),
    _text("reason"),
    Column("reclosed_at", DateTime(timezone=True)),
    _text("reclose_reason"),
    _text("individual_statement_id"),
    Column("corrected_student_ids", ARRAY(Text), nullable=False, server_default="{}"),
    _university(),
)

dispute = Table(
    "rm_dispute",
    metadata,
    Column("dispute_id", Text, primary_key=True),
    _text("journal_id"),
    _text("column_id"),
    _text("student_id"),
    _text("disputed_value"),
    Column("opened_at", DateTime(timezone=True)),
    Column("answer_due_at", DateTime(timezone=True)),
    _text("decision"),
    Column("answered_at", DateTime(timezone=True)),
    Column("late", Boolean, nullable=False, server_default="false"),
    _university(),
)
