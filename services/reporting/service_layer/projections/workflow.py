"""Projections of the workflow's events: reopen cases from their step history (KZ-13), sanctions
(KZ-14), corrective measures (KZ-13.6), weekly journal checks (KG-08) and ungraded lesson days (KZ-09).

A case's reason is the teacher's explanation: the event's `reason` field, or for events published before
it existed the "submitted" step's detail ("explanation: <reason>").
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.batch_consumer import Delivery
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import workflow_models as wm
from services.reporting.adapters.projection_writes import merge_case_step, upsert
from services.reporting.service_layer.projections.registry import Projector, day, instant

projector = Projector("reporting-workflow", stream_name("workflow"), stream_subjects("workflow"))

ENDING_STEPS = ("completed", "rejected", "withdrawn")


def reason_of(detail: str) -> str:
    return detail.removeprefix("explanation:").strip()


@projector.on(ev.ReopenCaseStepRecorded)
async def step_recorded(session: AsyncSession, e: ev.ReopenCaseStepRecorded, _: Delivery) -> None:
    at = instant(e.at)
    await upsert(
        session,
        wm.reopen_step,
        {
            "case_id": e.case_id,
            "seq": e.seq,
            "action": e.action,
            "actor_id": e.actor_id,
            "at": at,
            "detail": e.detail,
            "step": e.step,
            "deadline": instant(e.deadline),
            "overdue": e.overdue,
        },
    )
    submitted = e.action == "submitted"
    ended = e.step in ENDING_STEPS
    await merge_case_step(
        session,
        {
            "case_id": e.case_id,
            "journal_id": e.journal_id,
            "section": e.section,
            "teacher_id": e.teacher_id,
            "department_id": e.department_id,
            "faculty_id": e.faculty_id,
            "term_id": e.term_id,
            "reason": (e.reason or reason_of(e.detail)) if submitted else "",
            "step": e.step,
            "opened_at": at,
            "closed_at": at if ended else None,
            "outcome": e.step if ended else "",
            "last_seq": e.seq,
        },
    )


@projector.on(ev.SanctionProposed)
async def sanction_proposed(session: AsyncSession, e: ev.SanctionProposed, _: Delivery) -> None:
    await upsert(
        session,
        wm.sanction,
        {
            "proposal_id": e.proposal_id,
            "subject": e.subject,
            "subject_id": e.subject_id,
            "term_id": e.term_id,
            "count": e.count,
            "measure": e.measure,
            "case_id": e.case_id,
        },
    )


@projector.on(ev.SanctionConfirmed)
async def sanction_confirmed(session: AsyncSession, e: ev.SanctionConfirmed, _: Delivery) -> None:
    await upsert(
        session,
        wm.sanction,
        {
            "proposal_id": e.proposal_id,
            "subject": e.subject,
            "subject_id": e.subject_id,
            "measure": e.measure,
            "reference": e.reference,
            "confirmed_by": e.confirmed_by,
            "confirmed_at": instant(e.confirmed_at),
        },
    )


@projector.on(ev.CorrectiveMeasureRecorded)
async def corrective_measure(session: AsyncSession, e: ev.CorrectiveMeasureRecorded, _: Delivery) -> None:
    await upsert(
        session,
        wm.corrective_measure,
        {
            "measure_id": e.measure_id,
            "kind": e.kind,
            "description": e.description,
            "scope_type": e.scope_type,
            "scope_id": e.scope_id,
            "term_id": e.term_id,
            "case_id": e.case_id,
            "recorded_by": e.recorded_by,
            "recorded_at": instant(e.recorded_at),
        },
    )


@projector.on(ev.JournalChecked)
async def journal_checked(session: AsyncSession, e: ev.JournalChecked, _: Delivery) -> None:
    if day(e.week_start) is None:
        return
    await upsert(
        session,
        wm.journal_check,
        {
            "journal_id": e.journal_id,
            "week_start": day(e.week_start),
            "teacher_id": ",".join(e.teacher_ids),
            "department_id": e.department_id,
            "faculty_id": e.faculty_id,
            "lessons": e.lessons,
            "lessons_filled": e.lessons_filled,
            "filled_percent": e.filled_percent,
            "attendance_percent": e.attendance_percent,
            "findings": "\n".join(e.findings),
        },
    )


@projector.on(ev.LessonDayUngraded)
async def lesson_day_ungraded(session: AsyncSession, e: ev.LessonDayUngraded, _: Delivery) -> None:
    if day(e.lesson_date) is None:
        return
    await upsert(
        session,
        wm.ungraded_day,
        {
            "journal_id": e.journal_id,
            "lesson_date": day(e.lesson_date),
            "teacher_id": ",".join(e.teacher_ids),
            "department_id": e.department_id,
            "faculty_id": e.faculty_id,
            "course_unit_id": e.course_unit_id,
        },
    )
