"""workflow's database tables: projections of the Temporal processes for task lists, the reopen count,
sanctions and corrective measures, the closed sections the explanation window starts from, and the
results of the daily and weekly checks. Temporal holds the processes; these tables hold what people
list, search and report on."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    FetchedValue,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ejournal_platform.db import new_metadata
from ejournal_platform.outbox import define_inbox, define_outbox

metadata = new_metadata()
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)


def university_of_parent() -> Column[str]:
    """The row's university, copied by the database from its case, journal or faculty when an insert
    leaves it out ("" while unknown; migration 0009, ejournal_platform.tenancy): issue 18's routing key."""
    return Column("university_id", Text, nullable=False, server_default=FetchedValue())


# One row per reopen case: its current step and who it waits for (task lists), written by the
# workflow's record-step activity; `recorded_seq` guards against an older snapshot overwriting a newer.
reopen_cases = Table(
    "reopen_cases",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("journal_id", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("teacher_id", Text, nullable=False),
    Column("department_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("term_id", Text, nullable=False),
    Column("profile_code", Text, nullable=False),
    # The journal's university (issue 18: every row routed by it, no list crosses it); "" while unknown.
    Column("university_id", Text, nullable=False, server_default=""),
    Column("step", Text, nullable=False),
    Column("waiting_for", ARRAY(Text), nullable=False, server_default="{}"),
    Column("deadline", DateTime(timezone=True)),
    Column("overdue", Boolean, nullable=False, server_default="false"),
    Column("reason", Text, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("end_reason", Text, nullable=False, server_default=""),
    Column("correction_late", Boolean, nullable=False, server_default="false"),
    Column("recorded_seq", Integer, nullable=False, server_default="0"),
    Column("view", JSONB, nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("request_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_reopen_cases_teacher", reopen_cases.c.teacher_id)
Index("ix_reopen_cases_department", reopen_cases.c.department_id)
Index("ix_reopen_cases_faculty", reopen_cases.c.faculty_id)
Index("ix_reopen_cases_university", reopen_cases.c.university_id)
Index("ix_reopen_cases_waiting_for", reopen_cases.c.waiting_for, postgresql_using="gin")
# One open case per closed section at a time.
Index(
    "uq_reopen_cases_open_section",
    reopen_cases.c.journal_id,
    reopen_cases.c.section,
    unique=True,
    postgresql_where=text("ended_at IS NULL"),
)
Index("uq_reopen_cases_request", reopen_cases.c.submitted_by, reopen_cases.c.request_id, unique=True)

# Every step of every case, append-only: who, when, what.
reopen_case_history = Table(
    "reopen_case_history",
    metadata,
    Column("case_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("detail", Text, nullable=False),
    university_of_parent(),
    PrimaryKeyConstraint("case_id", "seq"),
)

# Journals the gradebook opened (JournalOpened): where the daily and weekly checks look.
journals = Table(
    "journals",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("term_id", Text, nullable=False),
    Column("course_unit_id", Text, nullable=False),
    Column("group_id", Text, nullable=False),
    Column("department_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("profile_code", Text, nullable=False),
    Column("teacher_ids", ARRAY(Text), nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    # Printable names of the journal's group and specialty (JournalOpened.names; "" while unknown): a
    # reopen explanation must name the journal's own group (issue 13).
    Column("group_name", Text, nullable=False, server_default=""),
    Column("specialty_name", Text, nullable=False, server_default=""),
    Column("specialty_code", Text, nullable=False, server_default=""),
    # JournalOpened.university_id ("" while the gradebook did not know it; learned later by faculty).
    Column("university_id", Text, nullable=False, server_default=""),
)
Index("ix_journals_faculty", journals.c.faculty_id)
Index("ix_journals_profile_department", journals.c.profile_code, journals.c.department_id)

# Sections of journals (SectionScheduled, SectionClosed): whose they are, when they closed. The
# explanation window of a reopen (KZ-13.1) starts at `closed_at`; closing reminders go to `teacher_ids`.
journal_sections = Table(
    "journal_sections",
    metadata,
    Column("journal_id", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("control_kind", Text, nullable=False, server_default=""),
    Column("teacher_ids", ARRAY(Text), nullable=False, server_default="{}"),
    Column("department_id", Text, nullable=False, server_default=""),
    Column("faculty_id", Text, nullable=False, server_default=""),
    Column("term_id", Text, nullable=False, server_default=""),
    Column("profile_code", Text, nullable=False, server_default=""),
    Column("event_date", Text, nullable=False, server_default=""),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", Text, nullable=False, server_default=""),
    university_of_parent(),
    PrimaryKeyConstraint("journal_id", "section"),
)
Index("ix_journal_sections_section", journal_sections.c.section)

# Effects done once per key (a reminder sent, a check reported), for activities whose retries must not
# notify twice.
effects = Table(
    "effects",
    metadata,
    Column("effect_key", Text, primary_key=True),
    Column("done_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The registrar head admitted a late explanation for this teacher and section (recorded, KZ-13.1).
late_admissions = Table(
    "late_admissions",
    metadata,
    Column("journal_id", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("teacher_id", Text, nullable=False),
    Column("admitted_by", Text, nullable=False),
    Column("admitted_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    university_of_parent(),
    PrimaryKeyConstraint("journal_id", "section", "teacher_id"),
)

# KZ-10: each completed reopen counted once, per teacher and department and term.
counted_reopens = Table(
    "counted_reopens",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("teacher_id", Text, nullable=False),
    Column("department_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("term_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("correction_late", Boolean, nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
    # The teacher's and the department's number of reopens in the term, this one included.
    Column("teacher_count", Integer, nullable=False),
    Column("department_count", Integer, nullable=False),
    university_of_parent(),
)
Index("ix_counted_reopens_teacher", counted_reopens.c.term_id, counted_reopens.c.teacher_id)
Index("ix_counted_reopens_department", counted_reopens.c.term_id, counted_reopens.c.department_id)

# KZ-14 / KZ-13.7: measures the ladder proposed, confirmed by the registrar with a protocol or order.
sanction_proposals = Table(
    "sanction_proposals",
    metadata,
    Column("proposal_id", Text, primary_key=True),
    Column("subject", Text, nullable=False),
    Column("subject_id", Text, nullable=False),
    Column("term_id", Text, nullable=False),
    Column("count", Integer, nullable=False),
    Column("measure", Text, nullable=False),
    Column("case_id", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="proposed"),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("reference", Text, nullable=False, server_default=""),
    Column("confirmed_by", Text, nullable=False, server_default=""),
    Column("confirmed_at", DateTime(timezone=True)),
    # Where the counted case sits (from its row): the registrar office's list reaches its own only.
    Column("university_id", Text, nullable=False, server_default=""),
    Column("faculty_id", Text, nullable=False, server_default=""),
    Column("department_id", Text, nullable=False, server_default=""),
)
Index("ix_sanction_proposals_status", sanction_proposals.c.status)
Index("ix_sanction_proposals_university", sanction_proposals.c.university_id, sanction_proposals.c.status)

# KZ-13.6: corrective measures deans and the academic department record (training, instructions).
corrective_measures = Table(
    "corrective_measures",
    metadata,
    Column("measure_id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("scope_type", Text, nullable=False),
    Column("scope_id", Text, nullable=False),
    Column("term_id", Text, nullable=False),
    Column("case_id", Text, nullable=False, server_default=""),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    university_of_parent(),
)

# KZ-09: lesson days of short course units left without current-control grades by their end.
fill_flags = Table(
    "fill_flags",
    metadata,
    Column("journal_id", Text, nullable=False),
    Column("lesson_date", Date, nullable=False),
    Column("teacher_ids", ARRAY(Text), nullable=False),
    Column("department_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("course_unit_id", Text, nullable=False),
    Column("flagged_at", DateTime(timezone=True), nullable=False),
    university_of_parent(),
    PrimaryKeyConstraint("journal_id", "lesson_date"),
)

# KG-08: the weekly filling and attendance check of each journal.
journal_checks = Table(
    "journal_checks",
    metadata,
    Column("week_start", Date, nullable=False),
    Column("journal_id", Text, nullable=False),
    Column("teacher_ids", ARRAY(Text), nullable=False),
    Column("department_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("lessons", Integer, nullable=False),
    Column("lessons_filled", Integer, nullable=False),
    Column("filled_percent", Numeric(5, 1), nullable=False),
    Column("attendance_percent", Numeric(5, 1), nullable=False),
    Column("findings", ARRAY(Text), nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
    # The findings as [{"key": catalog key, "values": {...}}] (notice_texts.py), said in the reader's
    # language; empty for checks recorded before migration 0006 (their English `findings` stay).
    Column("keyed_findings", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    university_of_parent(),
    PrimaryKeyConstraint("week_start", "journal_id"),
)
Index("ix_journal_checks_teachers", journal_checks.c.teacher_ids, postgresql_using="gin")

# The rows whose university is not known yet, by what learns it (section_store.learn_university).
for _table, _key in (
    (journal_sections, "faculty_id"),
    (counted_reopens, "faculty_id"),
    (fill_flags, "faculty_id"),
    (journal_checks, "faculty_id"),
    (corrective_measures, "case_id"),
):
    Index(f"ix_{_table.name}_unplaced", _table.c[_key], postgresql_where=text("university_id = ''"))
