"""gradebook's tables (the projections of curriculum's structure are in structure_tables.py, re-exported
here): *_0002_gradebook_core.py also holds the triggers that make closed sections read-only and history
append-only in the database; *_0007_partition_by_term.py partitions marks, attendance, history."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from ejournal_platform.outbox import define_inbox, define_outbox
from services.gradebook.adapters.metadata import TS, metadata, university_of_parent
from services.gradebook.adapters.structure_tables import (
    control_events,
    course_units,
    enrollments,
    lessons,
    names,
    substitutions,
)

__all__ = ["control_events", "course_units", "enrollments", "lessons", "metadata", "names", "substitutions"]

outbox = define_outbox(metadata)
inbox = define_inbox(metadata)

journals = Table(
    "journals",
    metadata,
    Column("journal_id", Uuid, primary_key=True),
    Column("term_id", Uuid, nullable=False),
    Column("course_unit_id", Uuid, nullable=False),
    Column("group_id", Uuid, nullable=False),
    Column("subgroup_id", Uuid),
    Column("lesson_type", Text, nullable=False),
    Column("profile_code", Text, nullable=False),
    Column("department_id", Uuid),
    Column("faculty_id", Uuid),
    Column("created_at", TS, nullable=False, server_default=text("now()")),
    Column("locked_at", TS),
    Column("locked_by", Text),
    # The faculty's university (kept by migration 0007's triggers): a journal's rows route by it (issue 18).
    Column("university_id", Uuid),
    UniqueConstraint(
        "term_id",
        "course_unit_id",
        "group_id",
        "subgroup_id",
        "lesson_type",
        name="uq_journals_key",
        postgresql_nulls_not_distinct=True,
    ),
)

journal_teachers = Table(
    "journal_teachers",
    metadata,
    Column("load_id", Uuid, primary_key=True),
    Column("journal_id", Uuid, ForeignKey("journals.journal_id"), nullable=False),
    Column("teacher_id", Uuid, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    university_of_parent(),
)

sections = Table(
    "sections",
    metadata,
    Column("journal_id", Uuid, ForeignKey("journals.journal_id"), primary_key=True),
    Column("section_id", Uuid, primary_key=True),
    Column("control_kind", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("closing_deadline", TS),
    Column("closed_at", TS),
    Column("closed_by", Text),
    Column("close_reason", Text),
    Column("statement_id", Uuid),
    university_of_parent(),
)

columns = Table(
    "columns",
    metadata,
    Column("journal_id", Uuid, ForeignKey("journals.journal_id"), primary_key=True),
    Column("column_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("starts_at", Text, nullable=False, default=""),
    Column("topic", Text, nullable=False, default=""),
    Column("number", Integer, nullable=False, default=0),
    Column("section_id", Uuid),
    Column("control_kind", Text),
    Column("lesson_type", Text, nullable=False, default=""),
    Column("classroom_id", Uuid),
    Column("cancelled", Boolean, nullable=False, default=False),
    university_of_parent(),
)

marks = Table(
    "marks",
    metadata,
    Column("journal_id", Uuid, primary_key=True),
    Column("column_id", Uuid, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("value", Text),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", Text, nullable=False),
    # The journal's term: the partition (migration 0007; see docs/scale.md "Partitions").
    Column("term_id", Uuid, primary_key=True),
    university_of_parent(),
    postgresql_partition_by="LIST (term_id)",
)

attendance = Table(
    "attendance",
    metadata,
    Column("journal_id", Uuid, primary_key=True),
    Column("column_id", Uuid, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("status", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("checked_in_at", TS),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("term_id", Uuid, primary_key=True),
    university_of_parent(),
    postgresql_partition_by="LIST (term_id)",
)

checkins = Table(
    "checkins",
    metadata,
    Column("column_id", Uuid, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("journal_id", Uuid, nullable=False),
    Column("checked_in_at", TS, nullable=False),
    Column("time_window", BigInteger, nullable=False),
    university_of_parent(),
)

history = Table(
    "history",
    metadata,
    Column("journal_id", Uuid, primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("column_id", Uuid, nullable=False),
    Column("student_id", Uuid, nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("author_id", Text, nullable=False),
    Column("on_behalf_of_id", Text),
    Column("reason", Text),
    Column("grant_id", Uuid),
    Column("case_id", Text),
    Column("recorded_at", TS, nullable=False),
    Column("prev_hash", LargeBinary, nullable=False),
    Column("hash", LargeBinary, nullable=False),
    # The client's time of typing (a save queued offline), as information beside recorded_at.
    Column("typed_at", TS),
    Column("term_id", Uuid, primary_key=True),
    university_of_parent(),
    postgresql_partition_by="LIST (term_id)",
)

chain_heads = Table(
    "chain_heads",
    metadata,
    Column("journal_id", Uuid, ForeignKey("journals.journal_id"), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("hash", LargeBinary, nullable=False),
    university_of_parent(),
)

reopen_grants = Table(
    "reopen_grants",
    metadata,
    Column("grant_id", Uuid, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("teacher_id", Uuid, nullable=False),
    Column("journal_id", Uuid, nullable=False),
    Column("section_id", Uuid, nullable=False),
    Column("granted_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("granted_by", Text, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("ended_at", TS),
    Column("end_reason", Text),
    Column("individual_statement_id", Uuid),
    university_of_parent(),
    UniqueConstraint("case_id", name="reopen_grants_case_id_key"),
    ForeignKeyConstraint(["journal_id", "section_id"], ["sections.journal_id", "sections.section_id"]),
)

# Every grant ever recorded, with the database role that recorded it (migration 0003_least_privilege):
# written only by the owner's ejournal_record_reopen_grant(), append-only.
reopen_grant_log = Table(
    "reopen_grant_log",
    metadata,
    Column("grant_id", Uuid, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("teacher_id", Uuid, nullable=False),
    Column("journal_id", Uuid, nullable=False),
    Column("section_id", Uuid, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("granted_by", Text, nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    university_of_parent(),
)

statement_counters = Table(
    "statement_counters",
    metadata,
    Column("series", Text, primary_key=True),
    Column("term_id", Text, primary_key=True),
    Column("last_number", BigInteger, nullable=False),
    university_of_parent(),
)

statements = Table(
    "statements",
    metadata,
    Column("statement_id", Uuid, primary_key=True),
    Column("series", Text, nullable=False),
    Column("term_id", Text, nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("kind", Text, nullable=False),
    Column("journal_id", Uuid),
    Column("section_id", Uuid),
    Column("course_unit_id", Uuid),
    Column("group_id", Uuid),
    Column("control_kind", Text, nullable=False, default=""),
    Column("formed_at", TS, nullable=False),
    Column("formed_by", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("original_statement_id", Uuid),
    Column("case_id", Text),
    Column("idempotency_key", Text),
    university_of_parent(),
    UniqueConstraint("series", "term_id", "number", name="uq_statements_number"),
)

disputes = Table(
    "disputes",
    metadata,
    Column("dispute_id", Uuid, primary_key=True),
    Column("journal_id", Uuid, ForeignKey("journals.journal_id"), nullable=False),
    Column("column_id", Uuid, nullable=False),
    Column("student_id", Uuid, nullable=False),
    Column("disputed_value", Text, nullable=False, default=""),
    Column("opened_at", TS, nullable=False),
    Column("answer_due_at", TS, nullable=False),
    Column("status", Text, nullable=False),
    Column("answered_by", Text),
    Column("answered_at", TS),
    Column("corrected_value", Text),
    Column("decision_reason", Text),
    university_of_parent(),
)

dispute_messages = Table(
    "dispute_messages",
    metadata,
    Column("dispute_id", Uuid, ForeignKey("disputes.dispute_id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("author_id", Text, nullable=False),
    Column("author_role", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("at", TS, nullable=False),
    university_of_parent(),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("subject", Text, primary_key=True),
    Column("operation", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("request_hash", LargeBinary, nullable=False),
    Column("response", LargeBinary, nullable=False),
    Column("created_at", TS, nullable=False, server_default=text("now()")),
)

# The indexes the migrations create, so the drift test (tests/integration/test_migrations.py) sees
# the code and the database agree on them too.
Index("ix_journals_unit_group", journals.c.course_unit_id, journals.c.group_id)
Index("ix_journals_department", journals.c.department_id)
Index("ix_journal_teachers_journal", journal_teachers.c.journal_id)
Index("ix_journal_teachers_teacher", journal_teachers.c.teacher_id)
Index("ix_sections_section", sections.c.section_id)
Index("ix_columns_column", columns.c.column_id)
Index("ix_history_grant", history.c.grant_id, postgresql_where=history.c.grant_id.is_not(None))
Index("ix_history_cell", history.c.column_id, history.c.student_id)
Index("ix_journals_university", journals.c.university_id)
Index("ix_reopen_grants_open", reopen_grants.c.journal_id, reopen_grants.c.section_id,
      postgresql_where=reopen_grants.c.ended_at.is_(None))  # fmt: skip
Index("ix_statements_journal", statements.c.journal_id)
Index("uq_statements_integrated", statements.c.course_unit_id, statements.c.group_id, unique=True,
      postgresql_where=statements.c.kind == "integrated")  # fmt: skip
Index("ix_disputes_journal", disputes.c.journal_id)
Index("ix_disputes_student", disputes.c.student_id)
Index("uq_disputes_open_cell", disputes.c.journal_id, disputes.c.column_id, disputes.c.student_id,
      unique=True, postgresql_where=disputes.c.status == "open")  # fmt: skip
# The rows still waiting for their university (migration 0009 routes them when their journal learns it).
Index("ix_checkins_unrouted", checkins.c.journal_id, postgresql_where=checkins.c.university_id.is_(None))
Index("ix_reopen_grants_unrouted", reopen_grants.c.journal_id,
      postgresql_where=reopen_grants.c.university_id.is_(None))  # fmt: skip
Index("ix_reopen_grant_log_unrouted", reopen_grant_log.c.journal_id,
      postgresql_where=reopen_grant_log.c.university_id.is_(None))  # fmt: skip
Index("ix_statement_counters_unrouted", statement_counters.c.term_id,
      postgresql_where=statement_counters.c.university_id.is_(None))  # fmt: skip
