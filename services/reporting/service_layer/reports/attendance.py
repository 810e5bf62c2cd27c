"""Attendance (KG-11) by group, student, course unit, department or faculty, and the curators' list
of a group's students with their parents, to contact them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.queries_documents import names_of, unit_names
from services.reporting.adapters.queries_filling import Scope, presence
from services.reporting.adapters.queries_results import faculty_of_group, parents_of, students_of_group
from services.reporting.domain.attendance import AttendanceFigures, Presence, attendance, attendance_by
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.reports.common import Period, authorize_scope, key_name

KEYS: Mapping[str, Callable[[Presence], str]] = {
    "group": lambda p: p.group_id,
    "student": lambda p: p.student_id,
    "course_unit": lambda p: p.course_unit_id,
    "department": lambda p: p.department_id,
    "faculty": lambda p: p.faculty_id,
}


@dataclass(frozen=True)
class AttendanceRow:
    key: str
    name: str
    figures: AttendanceFigures


async def attendance_report(
    deps: Deps,
    principal: Principal,
    scope: Scope,
    period: Period,
    group_by: str,
) -> tuple[list[AttendanceRow], AttendanceFigures]:
    scope = authorize_scope(principal, scope)
    key = KEYS.get(group_by, KEYS["group"])
    async with deps.unit_of_work() as uow:
        session = uow.session
        records = await presence(session, scope, period.start, period.held_end)
        people = await names_of(session, {r.student_id for r in records}) if group_by == "student" else {}
        by_key = attendance_by(records, key)
        units = await unit_names(session, by_key) if group_by != "student" else {}
    rows = [AttendanceRow(k, key_name(k, people, units), f) for k, f in by_key.items()]
    return rows, attendance(records)


@dataclass(frozen=True)
class CuratorRow:
    student_id: str
    full_name: str
    figures: AttendanceFigures
    parents: list[Any] = field(default_factory=list)  # rows with person_id, full_name, login


async def curator_list(
    deps: Deps,
    principal: Principal,
    group_id: str,
    period: Period,
    below_percent: str,
) -> list[CuratorRow]:
    if not group_id:
        raise InvalidArgument("group_id", "is required")
    try:
        threshold = Decimal(below_percent) if below_percent else None
    except InvalidOperation:
        raise InvalidArgument("below_percent", f"{below_percent!r} is not a number") from None
    if threshold is not None and not (threshold.is_finite() and 0 <= threshold <= 100):
        raise InvalidArgument("below_percent", "must be a percentage from 0 to 100")
    async with deps.unit_of_work() as uow:
        session = uow.session
        # the group's faculty too: a dean's office reads the curator lists of its faculty's groups
        faculty = await faculty_of_group(session, group_id)
        limited = authorize_scope(principal, Scope(group_id=group_id, faculty_id=faculty))
        students = await students_of_group(session, group_id)
        within = Scope(group_id=group_id, units=limited.units)
        records = await presence(session, within, period.start, period.held_end)
        parents = await parents_of(session, [s for s, _ in students])
    per_student = attendance_by(records, lambda r: r.student_id)
    empty = attendance([])
    rows = [CuratorRow(s, name, per_student.get(s, empty), parents.get(s, [])) for s, name in students]
    if threshold is not None:
        rows = [
            r for r in rows if r.figures.attendance_rate is not None and r.figures.attendance_rate < threshold
        ]
    return sorted(rows, key=lambda r: (r.figures.attendance_rate or Decimal(101), r.full_name))
