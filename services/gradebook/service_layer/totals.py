"""Totals of a journal, integrated totals of a module or integrated discipline (KZ-02), integrated
statements formed by the department that finishes the teaching (KZ-04), and a student's results."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from ejournal_regulation import get_profile
from services.gradebook.adapters import statements_repo, totals_repo
from services.gradebook.adapters.journal_rows import columns_of, marks_by_student
from services.gradebook.domain.statements import Signer, integrated_line
from services.gradebook.domain.totals import (
    IntegratedResult,
    Totals,
    integrated_exam_grade,
    journal_totals,
    module_grade,
)
from services.gradebook.domain.vocabulary import INTEGRATED_SERIES, exam_preference
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import (
    JournalView,
    authorized_journal,
    load_journal,
    parse_id,
    refusal,
    roster,
)
from services.gradebook.service_layer.reads import visible_students
from services.gradebook.service_layer.statement_forming import store_statement


async def totals_of(
    session: AsyncSession, journal: JournalView, students: list[uuid.UUID]
) -> dict[uuid.UUID, Totals]:
    profile = get_profile(journal.profile_code)
    columns = await columns_of(session, journal.journal_id)
    marks = await marks_by_student(session, journal.journal_id, columns)
    return {s: journal_totals(profile, [m for _, m in marks.get(s, [])]) for s in students}


async def journal_totals_for(
    gb: Gradebook, principal: Principal | None, *, journal_id: str, student_ids: list[str]
) -> tuple[JournalView, dict[uuid.UUID, Totals]]:
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "journal.read", parse_id(journal_id, "journal_id"), gb.now().date()
        )
        assert principal is not None
        students = sorted(await roster(session, journal), key=str)
        if student_ids:
            wanted = {parse_id(s, "student_ids") for s in student_ids}
            students = [s for s in students if s in wanted]
        only = visible_students(principal)
        if only is not None:
            students = [s for s in students if str(s) in only]
        return journal, await totals_of(session, journal, students)


@dataclass(frozen=True)
class Unit:
    course_unit_id: uuid.UUID
    kind: str
    profile_code: str
    term_id: uuid.UUID | None
    department_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    parts: list[totals_repo.CourseUnit]


async def _unit(
    session: AsyncSession, course_unit_id: uuid.UUID, principal: Principal | None, action: str
) -> Unit:
    row = await totals_repo.course_unit(session, course_unit_id)
    if row is None:
        raise refusal(principal, action)
    if row.kind not in ("module", "integrated_discipline"):
        raise InvalidArgument(
            "course_unit_id",
            f"is a {row.kind}; only a module or an integrated discipline has integrated results",
        )
    parts = await totals_repo.parts_of(session, course_unit_id)
    if not parts:
        raise FailedPrecondition("the course unit has no parts yet", field="course_unit_id")
    return Unit(
        course_unit_id=row.course_unit_id,
        kind=row.kind,
        profile_code=row.profile_code,
        term_id=row.term_id,
        department_id=row.department_id,
        faculty_id=row.faculty_id,
        parts=parts,
    )


def finishing_part(unit: Unit) -> totals_repo.CourseUnit:
    """KZ-04: the part that finishes the teaching: the last block of an integrated discipline, the
    last modular discipline of a module."""
    last = [p for p in unit.parts if p.is_last_part]
    return last[0] if last else unit.parts[-1]


async def integrated_results(
    session: AsyncSession, unit: Unit, group_id: uuid.UUID
) -> tuple[list[uuid.UUID], dict[uuid.UUID, IntegratedResult]]:
    profile = get_profile(unit.profile_code or unit.parts[0].profile_code)
    exam_units = (
        [unit.course_unit_id]
        if unit.kind == "integrated_discipline"
        else [p.course_unit_id for p in unit.parts]
    )
    best: dict[tuple[uuid.UUID, uuid.UUID], tuple[int, str]] = {}
    for r in await totals_repo.exam_results(session, group_id, exam_units):
        owner = unit.course_unit_id if unit.kind == "integrated_discipline" else r.course_unit_id
        key, rank = (r.student_id, owner), exam_preference(r.lesson_type)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, r.value)
    students = sorted(await totals_repo.group_students(session, group_id), key=str)
    results = {}
    for student in students:
        if unit.kind == "integrated_discipline":
            results[student] = integrated_exam_grade(
                profile, best.get((student, unit.course_unit_id), (0, ""))[1]
            )
        else:
            exams = {
                str(p.course_unit_id): best[(student, p.course_unit_id)][1]
                for p in unit.parts
                if (student, p.course_unit_id) in best
            }
            results[student] = module_grade(profile, [str(p.course_unit_id) for p in unit.parts], exams)
    return students, results


async def _unit_scope(
    session: AsyncSession, unit: Unit, group_id: uuid.UUID, part: totals_repo.CourseUnit
) -> ResourceScope:
    teachers = await totals_repo.unit_teachers(session, group_id, part.course_unit_id)
    return ResourceScope(
        faculty_id=str(part.faculty_id or unit.faculty_id or "") or None,
        department_id=str(part.department_id) if part.department_id else None,
        group_id=str(group_id),
        assignee_ids=frozenset(str(x) for x in teachers),
    )


async def integrated_totals(
    gb: Gradebook, principal: Principal | None, *, course_unit_id: str, group_id: str
) -> tuple[Unit, list[uuid.UUID], dict[uuid.UUID, IntegratedResult]]:
    group = parse_id(group_id, "group_id")
    async with gb.unit_of_work() as uow:
        session = uow.session
        unit = await _unit(session, parse_id(course_unit_id, "course_unit_id"), principal, "journal.read")
        require(principal, "journal.read", await _unit_scope(session, unit, group, finishing_part(unit)))
        students, results = await integrated_results(session, unit, group)
    return unit, students, results


@dataclass(frozen=True)
class IntegratedFormed:
    statement_id: str
    number: int
    series: str
    already_formed: bool


async def form_integrated_statement(
    gb: Gradebook, principal: Principal | None, course_unit_id: str, group_id: str
) -> IntegratedFormed:
    """KZ-04: only the department that finishes the teaching forms the integrated statement."""
    group = parse_id(group_id, "group_id")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        unit = await _unit(session, parse_id(course_unit_id, "course_unit_id"), principal, "statement.form")
        part = finishing_part(unit)
        principal = require(principal, "statement.form", await _unit_scope(session, unit, group, part))
        existing = await statements_repo.integrated_statement(session, unit.course_unit_id, group)
        if existing is not None:
            return IntegratedFormed(str(existing.statement_id), int(existing.number), INTEGRATED_SERIES, True)
        students, results = await integrated_results(session, unit, group)
        incomplete = [str(x) for x in students if results[x].incomplete]
        if not students or incomplete:
            raise FailedPrecondition(
                f"{len(incomplete)} student(s) have no exam result in every part yet", field="course_unit_id"
            )
        formed = await store_statement(
            session,
            kind="integrated",
            series=INTEGRATED_SERIES,
            term_id=str(unit.term_id or part.term_id or ""),
            journal_id="",
            section="",
            course_unit_id=str(unit.course_unit_id),
            group_id=str(group),
            control_kind="intermediate_attestation",
            formed_at=now,
            formed_by=principal.subject,
            lines=[integrated_line(str(x), results[x]) for x in students],
            signers=[Signer(principal.subject, "formed_by", now.isoformat())],
            department_id=str(part.department_id or ""),
            faculty_id=str(unit.faculty_id or ""),
        )
        uow.add_event(formed.event)
        await uow.commit()
    return IntegratedFormed(str(formed.statement_id), formed.number, INTEGRATED_SERIES, False)


async def student_results(
    gb: Gradebook, principal: Principal | None, *, student_id: str, term_id: str
) -> tuple[str, list[tuple[JournalView, list[tuple[Any, str, str]], Totals]]]:
    """KG-10, KG-03: a student's own results, or their child's for a parent (read-only)."""
    if principal is None:
        require(principal, "journal.read")
    assert principal is not None
    student = parse_id(student_id or principal.subject, "student_id")
    term = parse_id(term_id, "term_id") if term_id else None
    now = gb.now()
    out = []
    # No existence oracle: a student or parent asking for anyone but themselves or their child is
    # refused before anything is looked up, and so is anyone else for whom the id has no journal in
    # reach (a random id answers exactly like a real student of someone else's group).
    personal = visible_students(principal)
    if personal is not None and str(student) not in personal:
        raise PermissionDenied("permission denied: journal.read")
    async with gb.unit_of_work() as uow:
        session = uow.session
        ids = await totals_repo.student_journals(session, student, term)
        if not ids and personal is None:
            raise PermissionDenied("permission denied: journal.read")
        for journal_id in ids:
            journal = await load_journal(session, journal_id, now.date())
            own = str(student) == principal.subject and any(g.role == "student" for g in principal.roles)
            if not own:
                scope = journal.scope(student_id=str(student))
                # A student's or parent's group-wide grant must not open other students' results.
                narrowed = replace(scope, group_id=None) if personal is not None else scope
                require(principal, "journal.read", narrowed)
            columns = await columns_of(session, journal.journal_id)
            marks = await marks_by_student(session, journal.journal_id, columns)
            attendance = await totals_repo.student_attendance(session, journal.journal_id, student)
            pairs = marks.get(student, [])
            by_column = {c.column_id: m.value for c, m in pairs}
            cells = [
                (c, by_column.get(c.column_id, ""), attendance.get(c.column_id, ""))
                for c in sorted(columns.values(), key=lambda c: (c.date, str(c.column_id)))
                if not c.cancelled
            ]
            totals = journal_totals(get_profile(journal.profile_code), [m for _, m in pairs])
            out.append((journal, cells, totals))
    return str(student), out
