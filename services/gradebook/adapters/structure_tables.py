"""The gradebook's projections of curriculum's structure and teaching (course units, lessons, control
events, contingent) and of identity's names and substitutions: what decides a journal's columns, roster
and writers. Re-exported by tables.py, where the journal's own tables are."""

from sqlalchemy import ARRAY, BigInteger, Boolean, Column, Date, Index, Integer, Table, Text, Uuid

from services.gradebook.adapters.metadata import TS, metadata, university_of_parent

course_units = Table(
    "course_units",
    metadata,
    Column("course_unit_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("parent_id", Uuid),
    Column("profile_code", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("code", Text, nullable=False, default=""),
    Column("term_id", Uuid),
    Column("department_id", Uuid),
    Column("faculty_id", Uuid),
    Column("position", Integer, nullable=False, default=0),
    Column("is_last_part", Boolean, nullable=False, default=False),
    Column("has_own_exam", Boolean, nullable=False, default=False),
    Column("revision", BigInteger, nullable=False, default=0),
    # Year of study (курс) the unit is taught in: the reopen explanation form states it.
    Column("course_number", Integer, nullable=False, default=0),
    university_of_parent(),
)

# Printable names of structure units (curriculum's StructureUnitDefined) and people (identity's
# PersonCreated, kind "person"), sealed into each statement when it is formed.
names = Table(
    "names",
    metadata,
    Column("name_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("code", Text, nullable=False, default=""),
    Column("title", Text, nullable=False),
    Column("parent_id", Uuid),
    Column("time_zone", Text, nullable=False, default=""),
    Column("profile_code", Text, nullable=False, default=""),
    Column("defined_at", TS, nullable=False),
)

enrollments = Table(
    "enrollments",
    metadata,
    Column("movement_id", Uuid, primary_key=True),
    Column("student_id", Uuid, nullable=False),
    Column("group_id", Uuid, nullable=False),
    Column("subgroup_id", Uuid),
    Column("since", Date, nullable=False),
    Column("until", Date),
    university_of_parent(),
)

lessons = Table(
    "lessons",
    metadata,
    Column("lesson_id", Uuid, primary_key=True),
    Column("course_unit_id", Uuid, nullable=False),
    Column("group_id", Uuid, nullable=False),
    Column("subgroup_id", Uuid),
    Column("lesson_type", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("starts_at", Text, nullable=False, default=""),
    Column("ends_at", Text, nullable=False, default=""),
    Column("classroom_id", Uuid),
    Column("topic", Text, nullable=False, default=""),
    Column("number", Integer, nullable=False, default=0),
    Column("teacher_id", Uuid),
    Column("term_id", Uuid),
    Column("cancelled", Boolean, nullable=False, default=False),
    Column("revision", BigInteger, nullable=False, default=0),
    university_of_parent(),
)

control_events = Table(
    "control_events",
    metadata,
    Column("control_event_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("course_unit_id", Uuid, nullable=False),
    Column("group_id", Uuid, nullable=False),
    Column("subgroup_id", Uuid),
    Column("date", Date, nullable=False),
    Column("grade_entry_deadline", TS),
    Column("closing_deadline", TS),
    Column("term_id", Uuid),
    Column("profile_code", Text, nullable=False, default=""),
    Column("revision", BigInteger, nullable=False, default=0),
    university_of_parent(),
)

substitutions = Table(
    "substitutions",
    metadata,
    Column("substitution_id", Uuid, primary_key=True),
    Column("absent_teacher_id", Uuid, nullable=False),
    Column("substitute_id", Uuid, nullable=False),
    Column("journal_ids", ARRAY(Uuid), nullable=False),
    Column("course_unit_ids", ARRAY(Uuid), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("protocol", Text, nullable=False, default=""),
    university_of_parent(),
)

Index("ix_course_units_parent", course_units.c.parent_id)
Index("ix_enrollments_group", enrollments.c.group_id, enrollments.c.student_id,
      postgresql_where=enrollments.c.until.is_(None))  # fmt: skip
Index("ix_enrollments_student", enrollments.c.student_id)
Index("ix_lessons_unit_group", lessons.c.course_unit_id, lessons.c.group_id)
Index("ix_control_events_unit_group", control_events.c.course_unit_id, control_events.c.group_id)
Index("ix_substitutions_substitute", substitutions.c.substitute_id)
Index("ix_substitutions_absent", substitutions.c.absent_teacher_id)
# The rows still waiting for their place (migration 0009 places them when their structure arrives).
Index("ix_course_units_unrouted", course_units.c.course_unit_id,
      postgresql_where=course_units.c.university_id.is_(None))  # fmt: skip
Index(
    "ix_enrollments_unrouted", enrollments.c.group_id, postgresql_where=enrollments.c.university_id.is_(None)
)
# Substitutions waiting for their first unit's or journal's place (migration 0011).
Index("ix_substitutions_unrouted_unit", substitutions.c.course_unit_ids[1],
      postgresql_where=substitutions.c.university_id.is_(None))  # fmt: skip
Index("ix_substitutions_unrouted_journal", substitutions.c.journal_ids[1],
      postgresql_where=substitutions.c.university_id.is_(None))  # fmt: skip
