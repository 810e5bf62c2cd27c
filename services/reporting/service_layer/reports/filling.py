"""Journal filling (KG-11 weekly, KG-08, KZ-10): per teacher, department or faculty, per week."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from services.reporting.adapters.queries_documents import names_of, unit_names
from services.reporting.adapters.queries_filling import Scope, lesson_filling
from services.reporting.domain.filling import FillingFigures, LessonFilling, figures, figures_by, weeks
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.reports.common import Period, authorize_scope, key_name

KEYS: Mapping[str, Callable[[LessonFilling], str]] = {
    "teacher": lambda lesson: lesson.teacher_id,
    "department": lambda lesson: lesson.department_id,
    "faculty": lambda lesson: lesson.faculty_id,
    "group": lambda lesson: lesson.group_id,
    "course_unit": lambda lesson: lesson.course_unit_id,
}


@dataclass(frozen=True)
class FillingRow:
    key: str
    name: str
    week_start: str
    figures: FillingFigures


@dataclass(frozen=True)
class FillingReport:
    rows: list[FillingRow]
    total: FillingFigures


async def load(session: AsyncSession, scope: Scope, period: Period) -> list[LessonFilling]:
    return await lesson_filling(session, scope, period.start, period.held_end)


async def filling_report(
    deps: Deps,
    principal: Principal,
    scope: Scope,
    period: Period,
    group_by: str,
    weekly: bool,
) -> FillingReport:
    scope = authorize_scope(principal, scope)
    key = KEYS.get(group_by, KEYS["teacher"])
    async with deps.unit_of_work() as uow:
        session = uow.session
        lessons = await load(session, scope, period)
        people = await names_of(session, {lesson.teacher_id for lesson in lessons})
        units = await unit_names(session, {k for k in figures_by(lessons, key)})
    rows: list[FillingRow] = []
    spans = weeks(period.start, period.end) if weekly else [(period.start, period.end)]
    for start, end in spans:
        chosen = [lesson for lesson in lessons if start <= lesson.lesson_date <= end]
        for k, f in figures_by(chosen, key).items():
            rows.append(FillingRow(k, key_name(k, people, units), start.isoformat() if weekly else "", f))
    return FillingReport(rows, figures(lessons))
