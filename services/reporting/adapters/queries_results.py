"""Read-model queries behind quality, reopen analysis, the curators' list and the forecast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from services.reporting.adapters import read_models as rm
from services.reporting.adapters import workflow_models as wm
from services.reporting.adapters.tenancy import within
from services.reporting.domain.quality import FinalResult
from services.reporting.domain.reopens import ReopenCaseView, StepSpan

FINAL_CONTROLS = ("intermediate_attestation", "final_attestation")
ENDED = ("completed", "rejected", "withdrawn")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


async def final_results(
    session: AsyncSession, term_ids: list[str], units: Sequence[str] | None = None
) -> tuple[list[FinalResult], int]:
    """Final results of the terms' course units from their statements; an individual statement
    (formed after a reopen) replaces the lines of the students it corrects. Returns the results and
    how many statements still wait for their content."""
    s = rm.statement
    rows = (
        await session.execute(
            select(s)
            .where(s.c.term_id.in_(term_ids), ~s.c.archived, within(s.c.university_id, units))
            .order_by(s.c.formed_at)
        )
    ).all()
    profiles = {
        row.journal_id: row.profile_code
        for row in await session.execute(select(rm.journal.c.journal_id, rm.journal.c.profile_code))
    }
    latest: dict[tuple[str, str], FinalResult] = {}
    pending = 0
    for row in rows:
        if row.content is None:
            pending += 1
            continue
        content = gbs.Statement()
        content.ParseFromString(row.content)
        if content.control_kind not in FINAL_CONTROLS and content.kind != "integrated":
            continue
        profile = profiles.get(row.journal_id, "")
        for line in content.lines:
            value = _number(line.points or line.value)
            latest[(row.course_unit_id, line.student_id)] = FinalResult(
                student_id=line.student_id,
                course_unit_id=row.course_unit_id,
                group_id=row.group_id,
                department_id=row.department_id,
                faculty_id=row.faculty_id,
                profile_code=profile,
                value=value,
            )
    return list(latest.values()), pending


async def terms_of_year(session: AsyncSession, academic_year_id: str) -> list[str]:
    query = select(rm.term.c.term_id).where(rm.term.c.academic_year_id == academic_year_id)
    return [row[0] for row in await session.execute(query)]


def _spans(steps: list[Any]) -> tuple[StepSpan, ...]:
    """One span per stay in a step: from the record that entered it to the first record that left it
    (several records may keep the case in one step, e.g. the three visas during "review")."""
    spans: list[StepSpan] = []
    for index, record in enumerate(steps):
        if record.step in ENDED or (index and steps[index - 1].step == record.step):
            continue
        end = next((later.at for later in steps[index + 1 :] if later.step != record.step), None)
        spans.append(StepSpan(record.step, record.at, end or None, record.deadline))
    return tuple(spans)


async def reopen_cases(
    session: AsyncSession, start: datetime, end: datetime, faculty_id: str, units: Sequence[str] | None = None
) -> list[ReopenCaseView]:
    rc = wm.reopen_case
    query = select(rc, rm.journal.c.profile_code).join(
        rm.journal, rm.journal.c.journal_id == rc.c.journal_id, isouter=True
    )
    query = query.where(rc.c.opened_at >= start, rc.c.opened_at < end, within(rc.c.university_id, units))
    if faculty_id:
        query = query.where(rc.c.faculty_id == faculty_id)
    cases = (await session.execute(query)).all()
    steps: dict[str, list[Any]] = defaultdict(list)
    if cases:
        ids = [row.case_id for row in cases]
        step_rows = await session.execute(
            select(wm.reopen_step).where(wm.reopen_step.c.case_id.in_(ids)).order_by(wm.reopen_step.c.seq)
        )
        for row in step_rows:
            steps[row.case_id].append(row)
    return [
        ReopenCaseView(
            case_id=row.case_id,
            journal_id=row.journal_id,
            teacher_id=row.teacher_id,
            department_id=row.department_id,
            faculty_id=row.faculty_id,
            profile_code=row.profile_code or "",
            reason=row.reason,
            reason_code="",
            opened_at=row.opened_at,
            closed_at=row.closed_at,
            outcome=row.outcome,
            steps=_spans(steps[row.case_id]),
        )
        for row in cases
    ]


async def students_of_group(session: AsyncSession, group_id: str) -> list[tuple[str, str]]:
    e, p = rm.enrollment, rm.person
    query = (
        select(e.c.student_id, p.c.full_name)
        .join(p, p.c.person_id == e.c.student_id, isouter=True)
        .where(e.c.group_id == group_id, e.c.active)
    )
    return [(row.student_id, row.full_name or row.student_id) for row in await session.execute(query)]


async def faculty_of_group(session: AsyncSession, group_id: str) -> str:
    """The faculty a group belongs to, from its students' placement (identity's PersonCreated), else
    from its journals; empty when reporting knows neither (the caller's scope then decides alone)."""
    p, j = rm.person, rm.journal
    for query in (
        select(p.c.faculty_id).where(p.c.group_id == group_id, p.c.faculty_id != "").limit(1),
        select(j.c.faculty_id).where(j.c.group_id == group_id, j.c.faculty_id != "").limit(1),
    ):
        found = await session.scalar(query)
        if found:
            return str(found)
    return ""


async def parents_of(session: AsyncSession, student_ids: list[str]) -> dict[str, list[Any]]:
    r, p = rm.role, rm.person
    query = (
        select(r.c.scope_id, p.c.person_id, p.c.full_name, p.c.login)
        .join(p, p.c.person_id == r.c.person_id)
        .where(r.c.role == "parent", r.c.scope_type == "student", r.c.scope_id.in_(student_ids), ~r.c.revoked)
    )
    found: dict[str, list[Any]] = defaultdict(list)
    for row in await session.execute(query):
        found[row.scope_id].append(row)
    return found


async def journals_of(session: AsyncSession, course_unit_id: str, group_id: str) -> list[Any]:
    j = rm.journal
    query = select(j).where(j.c.course_unit_id == course_unit_id, j.c.group_id == group_id, ~j.c.archived)
    return list((await session.execute(query)).all())


async def sanctions_and_measures(
    session: AsyncSession,
    case_ids: list[str],
    start: datetime,
    end: datetime,
    faculty_id: str,
    units: Sequence[str] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Sanctions proposed for the period's cases; corrective measures recorded in the period (those of
    the faculty, its cases', or the whole university's when no faculty is asked for)."""
    s, m = wm.sanction, wm.corrective_measure
    sanctions = (
        await session.execute(
            select(s).where(s.c.case_id.in_(case_ids)).order_by(s.c.subject, s.c.subject_id)
        )
    ).all()
    query = select(m).where(m.c.recorded_at >= start, m.c.recorded_at < end, within(m.c.university_id, units))
    if faculty_id:
        query = query.where((m.c.case_id.in_(case_ids)) | (m.c.scope_id == faculty_id))
    measures = (await session.execute(query.order_by(m.c.recorded_at))).all()
    return list(sanctions), list(measures)
