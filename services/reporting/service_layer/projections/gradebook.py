"""Projections of the gradebook's events: journals, sections, marks, attendance, statements, reopen
grants and disputes. A mark or attendance cell keeps its latest version (the gradebook's per-cell
counter) and the time of its first entry, which is what "filled on the lesson day" is measured by."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal_column, update
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.batch_consumer import Delivery
from services.reporting.service_layer.projections.registry import Projector, day, event_time, instant
from services.reporting.service_layer.projections.upsert import upsert

projector = Projector("reporting-gradebook", stream_name("gradebook"), stream_subjects("gradebook"))

MERGED_TEACHERS: ColumnElement[list[str]] = literal_column(
    "ARRAY(SELECT DISTINCT t FROM unnest(rm_journal.teacher_ids || excluded.teacher_ids) AS t ORDER BY t)"
)


@projector.on(ev.JournalOpened)
async def journal_opened(session: AsyncSession, e: ev.JournalOpened, _: Delivery) -> None:
    await upsert(
        session,
        rm.journal,
        {
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
        },
        overrides={"teacher_ids": MERGED_TEACHERS},
    )


@projector.on(ev.SectionScheduled)
async def section_scheduled(session: AsyncSession, e: ev.SectionScheduled, _: Delivery) -> None:
    await upsert(
        session,
        rm.section,
        {
            "journal_id": e.journal_id,
            "section": e.section,
            "control_kind": e.control_kind,
            "section_date": day(e.date),
            "closing_deadline": instant(e.closing_deadline),
        },
    )


@projector.on(ev.SectionClosed)
async def section_closed(session: AsyncSession, e: ev.SectionClosed, _: Delivery) -> None:
    await upsert(
        session,
        rm.section,
        {
            "journal_id": e.journal_id,
            "section": e.section,
            "control_kind": e.control_kind,
            "closed_at": instant(e.closed_at),
            "closed_by": e.closed_by,
            "statement_id": e.statement_id,
        },
    )


@projector.on(ev.JournalLocked)
async def journal_locked(session: AsyncSession, e: ev.JournalLocked, _: Delivery) -> None:
    table = rm.journal
    await session.execute(
        update(table).where(table.c.journal_id == e.journal_id).values(locked_at=instant(e.locked_at))
    )


@projector.on(ev.MarkRecorded)
async def mark_recorded(session: AsyncSession, e: ev.MarkRecorded, delivery: Delivery) -> None:
    at = instant(e.recorded_at) or event_time(delivery)
    await upsert(
        session,
        rm.mark,
        {
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
        },
        guard="version",
        overrides={"first_recorded_at": func.least(rm.mark.c.first_recorded_at, at)},
    )


@projector.on(ev.AttendanceRecorded)
async def attendance_recorded(session: AsyncSession, e: ev.AttendanceRecorded, delivery: Delivery) -> None:
    at = instant(e.recorded_at) or event_time(delivery)
    await upsert(
        session,
        rm.attendance,
        {
            "journal_id": e.journal_id,
            "lesson_id": e.lesson_id,
            "student_id": e.student_id,
            "status": e.status,
            "source": e.source,
            "recorded_at": at,
            "first_recorded_at": at,
            "version": e.version,
        },
        guard="version",
        overrides={"first_recorded_at": func.least(rm.attendance.c.first_recorded_at, at)},
    )


@projector.on(ev.StatementFormed)
async def statement_formed(session: AsyncSession, e: ev.StatementFormed, _: Delivery) -> None:
    # A statement is immutable: the first copy stays (a replay or a duplicate changes nothing).
    await upsert(
        session,
        rm.statement,
        {
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
        },
        keep=[c.name for c in rm.statement.columns],
    )


@projector.on(ev.Reopened)
async def reopened(session: AsyncSession, e: ev.Reopened, _: Delivery) -> None:
    await upsert(
        session,
        rm.reopen_grant,
        {
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
        },
    )


@projector.on(ev.Reclosed)
async def reclosed(session: AsyncSession, e: ev.Reclosed, _: Delivery) -> None:
    await upsert(
        session,
        rm.reopen_grant,
        {
            "grant_id": e.grant_id,
            "case_id": e.case_id,
            "teacher_id": e.teacher_id,
            "journal_id": e.journal_id,
            "section": e.section,
            "reclosed_at": instant(e.reclosed_at),
            "reclose_reason": e.reason,
            "individual_statement_id": e.individual_statement_id,
            "corrected_student_ids": list(e.corrected_student_ids),
        },
    )


@projector.on(ev.DisputeOpened)
async def dispute_opened(session: AsyncSession, e: ev.DisputeOpened, _: Delivery) -> None:
    await upsert(
        session,
        rm.dispute,
        {
            "dispute_id": e.dispute_id,
            "journal_id": e.journal_id,
            "column_id": e.column_id,
            "student_id": e.student_id,
            "disputed_value": e.disputed_value,
            "opened_at": instant(e.opened_at),
            "answer_due_at": instant(e.answer_due_at),
        },
        keep=("decision", "answered_at", "late"),
    )


@projector.on(ev.DisputeAnswered)
async def dispute_answered(session: AsyncSession, e: ev.DisputeAnswered, _: Delivery) -> None:
    await upsert(
        session,
        rm.dispute,
        {
            "dispute_id": e.dispute_id,
            "journal_id": e.journal_id,
            "student_id": e.student_id,
            "decision": e.decision,
            "answered_at": instant(e.answered_at),
            "late": e.late,
        },
    )
