"""Projections of the gradebook's events: journals, sections, marks, attendance, statements, reopen
grants and disputes. A mark or attendance cell keeps its latest version (the gradebook's per-cell
counter) and the time of its first entry, which is what "filled on the lesson day" is measured by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.batch_consumer import Delivery
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.projection_writes import earliest, set_columns, teachers_ever_added
from services.reporting.service_layer.projections.registry import Projector, Upsert, day, event_time, instant

projector = Projector("reporting-gradebook", stream_name("gradebook"), stream_subjects("gradebook"))
Row = Mapping[str, Any]


JOURNAL = Upsert(
    rm.journal,
    (
        "journal_id",
        "term_id",
        "course_unit_id",
        "group_id",
        "subgroup_id",
        "lesson_type",
        "teacher_ids",
        "department_id",
        "faculty_id",
        "profile_code",
        "title",
    ),
    merge={"teacher_ids": teachers_ever_added},
)
# A journal's sections, cells and disputes carry its university (migration 0007): joined per batch.
SECTION_SCHEDULED = Upsert(
    rm.section,
    ("journal_id", "section", "control_kind", "section_date", "closing_deadline"),
    university_of=rm.journal,
)
SECTION_CLOSED = Upsert(
    rm.section,
    ("journal_id", "section", "control_kind", "closed_at", "closed_by", "statement_id"),
    university_of=rm.journal,
)
CELL = ("journal_id", "student_id", "recorded_at", "first_recorded_at", "version")
MARK = Upsert(
    rm.mark,
    (*CELL, "column_id", "value", "column_kind", "section", "author_id", "on_behalf_of_id", "case_id"),
    guard="version",
    merge={"first_recorded_at": earliest("first_recorded_at")},
    university_of=rm.journal,
)
ATTENDANCE = Upsert(
    rm.attendance,
    (*CELL, "lesson_id", "status", "source"),
    guard="version",
    merge={"first_recorded_at": earliest("first_recorded_at")},
    university_of=rm.journal,
)
# A statement is immutable: the first copy stays (a replay or a duplicate changes nothing).
STATEMENT = Upsert(
    rm.statement,
    (
        "statement_id",
        "series",
        "number",
        "term_id",
        "kind",
        "journal_id",
        "section",
        "course_unit_id",
        "group_id",
        "content_hash",
        "formed_at",
        "formed_by",
        "original_statement_id",
        "case_id",
        "student_ids",
        "department_id",
        "faculty_id",
    ),
    keep=tuple(c.name for c in rm.statement.columns),
)
GRANT = Upsert(
    rm.reopen_grant,
    (
        "grant_id",
        "case_id",
        "teacher_id",
        "journal_id",
        "section",
        "granted_at",
        "expires_at",
        "department_id",
        "faculty_id",
        "reason",
    ),
)
RECLOSED = Upsert(
    rm.reopen_grant,
    (
        "grant_id",
        "case_id",
        "teacher_id",
        "journal_id",
        "section",
        "reclosed_at",
        "reclose_reason",
        "individual_statement_id",
        "corrected_student_ids",
    ),
)
DISPUTE_OPENED = Upsert(
    rm.dispute,
    ("dispute_id", "journal_id", "column_id", "student_id", "disputed_value", "opened_at", "answer_due_at"),
    university_of=rm.journal,
)
DISPUTE_ANSWERED = Upsert(
    rm.dispute,
    ("dispute_id", "journal_id", "student_id", "decision", "answered_at", "late"),
    university_of=rm.journal,
)


@projector.rows(ev.JournalOpened, JOURNAL)
def journal_opened(e: ev.JournalOpened, _: Delivery) -> Row:
    return {
        "journal_id": e.journal_id,
        "term_id": e.term_id,
        "course_unit_id": e.course_unit_id,
        "group_id": e.group_id,
        "subgroup_id": e.subgroup_id,
        "lesson_type": e.lesson_type,
        "teacher_ids": sorted(set(e.teacher_ids)),
        "department_id": e.department_id,
        "faculty_id": e.faculty_id,
        "profile_code": e.profile_code,
        "title": e.title,
    }


@projector.rows(ev.SectionScheduled, SECTION_SCHEDULED)
def section_scheduled(e: ev.SectionScheduled, _: Delivery) -> Row:
    return {
        "journal_id": e.journal_id,
        "section": e.section,
        "control_kind": e.control_kind,
        "section_date": day(e.date),
        "closing_deadline": instant(e.closing_deadline),
    }


@projector.rows(ev.SectionClosed, SECTION_CLOSED)
def section_closed(e: ev.SectionClosed, _: Delivery) -> Row:
    return {
        "journal_id": e.journal_id,
        "section": e.section,
        "control_kind": e.control_kind,
        "closed_at": instant(e.closed_at),
        "closed_by": e.closed_by,
        "statement_id": e.statement_id,
    }


@projector.on(ev.JournalLocked)
async def journal_locked(session: AsyncSession, e: ev.JournalLocked, _: Delivery) -> None:
    await set_columns(session, rm.journal, {"journal_id": e.journal_id}, locked_at=instant(e.locked_at))


@projector.rows(ev.MarkRecorded, MARK)
def mark_recorded(e: ev.MarkRecorded, delivery: Delivery) -> Row:
    at = instant(e.recorded_at) or event_time(delivery)
    return {
        "journal_id": e.journal_id,
        "column_id": e.lesson_id,
        "student_id": e.student_id,
        "value": e.value,
        "column_kind": e.column_kind,
        "section": e.section,
        "author_id": e.author_id,
        "on_behalf_of_id": e.on_behalf_of_id,
        "case_id": e.case_id,
        "recorded_at": at,
        "first_recorded_at": at,
        "version": e.version,
    }


@projector.rows(ev.AttendanceRecorded, ATTENDANCE)
def attendance_recorded(e: ev.AttendanceRecorded, delivery: Delivery) -> Row:
    at = instant(e.recorded_at) or event_time(delivery)
    return {
        "journal_id": e.journal_id,
        "lesson_id": e.lesson_id,
        "student_id": e.student_id,
        "status": e.status,
        "source": e.source,
        "recorded_at": at,
        "first_recorded_at": at,
        "version": e.version,
    }


@projector.rows(ev.StatementFormed, STATEMENT)
def statement_formed(e: ev.StatementFormed, _: Delivery) -> Row:
    return {
        "statement_id": e.statement_id,
        "series": e.series,
        "number": e.number,
        "term_id": e.term_id,
        "kind": e.kind,
        "journal_id": e.journal_id,
        "section": e.section,
        "course_unit_id": e.course_unit_id,
        "group_id": e.group_id,
        "content_hash": e.content_hash,
        "formed_at": instant(e.formed_at),
        "formed_by": e.formed_by,
        "original_statement_id": e.original_statement_id,
        "case_id": e.case_id,
        "student_ids": list(e.student_ids),
        "department_id": e.department_id,
        "faculty_id": e.faculty_id,
    }


@projector.rows(ev.Reopened, GRANT)
def reopened(e: ev.Reopened, _: Delivery) -> Row:
    return {
        "grant_id": e.grant_id,
        "case_id": e.case_id,
        "teacher_id": e.teacher_id,
        "journal_id": e.journal_id,
        "section": e.section,
        "granted_at": instant(e.granted_at),
        "expires_at": instant(e.expires_at),
        "department_id": e.department_id,
        "faculty_id": e.faculty_id,
        "reason": e.reason,
    }


@projector.rows(ev.Reclosed, RECLOSED)
def reclosed(e: ev.Reclosed, _: Delivery) -> Row:
    return {
        "grant_id": e.grant_id,
        "case_id": e.case_id,
        "teacher_id": e.teacher_id,
        "journal_id": e.journal_id,
        "section": e.section,
        "reclosed_at": instant(e.reclosed_at),
        "reclose_reason": e.reason,
        "individual_statement_id": e.individual_statement_id,
        "corrected_student_ids": list(e.corrected_student_ids),
    }


@projector.rows(ev.DisputeOpened, DISPUTE_OPENED)
def dispute_opened(e: ev.DisputeOpened, _: Delivery) -> Row:
    return {
        "dispute_id": e.dispute_id,
        "journal_id": e.journal_id,
        "column_id": e.column_id,
        "student_id": e.student_id,
        "disputed_value": e.disputed_value,
        "opened_at": instant(e.opened_at),
        "answer_due_at": instant(e.answer_due_at),
    }


@projector.rows(ev.DisputeAnswered, DISPUTE_ANSWERED)
def dispute_answered(e: ev.DisputeAnswered, _: Delivery) -> Row:
    return {
        "dispute_id": e.dispute_id,
        "journal_id": e.journal_id,
        "student_id": e.student_id,
        "decision": e.decision,
        "answered_at": instant(e.answered_at),
        "late": e.late,
    }
