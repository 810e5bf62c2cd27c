"""The long reports the job runner builds (see service_layer/jobs.py), each a multi-table document."""

from __future__ import annotations

from collections.abc import Mapping

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.pdf import render_pdf_many
from services.reporting.adapters.queries_documents import names_of, printable_statements, unit_names
from services.reporting.adapters.queries_documents import term as term_row
from services.reporting.adapters.xlsx import render_xlsx_many
from services.reporting.domain.layout import Layout, Table
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.render import CONTENT_TYPES, statement_layout_for
from services.reporting.service_layer.documents.statement import term_title
from services.reporting.service_layer.jobs import Builder, Built, JobRequest, Progress
from services.reporting.service_layer.reports import tables
from services.reporting.service_layer.reports.attendance import attendance_report, curator_list
from services.reporting.service_layer.reports.common import Period, authorize_scope
from services.reporting.service_layer.reports.filling import filling_report
from services.reporting.service_layer.reports.quality import quality_report
from services.reporting.service_layer.reports.reopens import reopen_analysis


def _file(layouts: list[Layout], request: JobRequest, stem: str) -> Built:
    content = render_pdf_many(layouts) if request.format == "pdf" else render_xlsx_many(layouts)
    return Built(content, CONTENT_TYPES[request.format], f"{stem}.{request.format}")


async def _scope_fields(
    deps: Deps, request: JobRequest, period: Period | None
) -> tuple[tuple[str, str], ...]:
    scope = request.scope
    async with deps.unit_of_work() as uow:
        session = uow.session
        names = await unit_names(session, [scope.faculty_id, scope.department_id, scope.group_id])
        term = await term_row(session, scope.term_id) if scope.term_id else None
    fields = [
        (label, value)
        for label, value in (
            ("Семестр", term_title(term)),
            ("Факультет", names.get(scope.faculty_id, "")),
            ("Кафедра", names.get(scope.department_id, "")),
            ("Группа", names.get(scope.group_id, "")),
        )
        if value
    ]
    if period is not None:
        fields.insert(0, ("Период", f"{period.start.isoformat()} — {period.end.isoformat()}"))
    return tuple(fields)


async def weekly_filling(deps: Deps, principal: Principal, request: JobRequest, progress: Progress) -> Built:
    period = Period.of(request.from_date, request.to_date, 7)
    parts: list[Table] = []
    steps = (
        ("teacher", "Заполнение по преподавателям"),
        ("department", "Заполнение по кафедрам"),
        ("faculty", "Заполнение по факультетам"),
    )
    for done, (key, caption) in enumerate(steps, start=1):
        report = await filling_report(deps, principal, request.scope, period, key, True)
        parts.append(tables.filling_table(report.rows, caption))
        await progress(done, len(steps) + 1)
    rows, _ = await attendance_report(deps, principal, request.scope, period, "group")
    parts.append(tables.attendance_table(rows, "Посещаемость по группам"))
    await progress(len(steps) + 1, len(steps) + 1)
    layout = Layout(
        kind="report",
        title="Еженедельный отчёт: заполнение журналов и посещаемость (KG-11, KG-08)",
        fields=await _scope_fields(deps, request, period),
        tables=tuple(parts),
        landscape=True,
    )
    return _file([layout], request, f"weekly-filling-{period.start.isoformat()}")


async def quality_and_attendance(
    deps: Deps, principal: Principal, request: JobRequest, progress: Progress
) -> Built:
    if not request.scope.term_id and not request.academic_year_id:
        raise InvalidArgument("scope.term_id", "a term or an academic year is required")
    parts: list[Table] = []
    keys = (("group", "группам"), ("department", "кафедрам"), ("faculty", "факультетам"))
    period = Period.of(request.from_date, request.to_date, 183)
    for done, (key, word) in enumerate(keys, start=1):
        rows, pending = await quality_report(
            deps, principal, request.scope.term_id, request.academic_year_id, request.scope, key
        )
        note = f" (ведомостей ожидают содержимого: {pending})" if pending else ""
        parts.append(tables.quality_table(rows, f"Качество знаний и успеваемость по {word}{note}"))
        attendance_rows, _ = await attendance_report(deps, principal, request.scope, period, key)
        parts.append(tables.attendance_table(attendance_rows, f"Посещаемость по {word}"))
        await progress(done, len(keys))
    layout = Layout(
        kind="report",
        title="Качество обучения и посещаемость за семестр/год (KG-11)",
        fields=await _scope_fields(deps, request, period),
        tables=tuple(parts),
        landscape=True,
    )
    return _file([layout], request, "quality-and-attendance")


async def reopen_report(deps: Deps, principal: Principal, request: JobRequest, progress: Progress) -> Built:
    period = Period.of(request.from_date, request.to_date, 183)
    report = await reopen_analysis(deps, principal, period, request.scope.faculty_id)
    analysis = report.analysis
    async with deps.unit_of_work() as uow:
        session = uow.session
        people = await names_of(session, [row.key for row in analysis.by_teacher])
        people |= await unit_names(session, [row.key for row in analysis.by_department])
    await progress(1, 1)
    median = str(analysis.median_days_to_close) if analysis.median_days_to_close is not None else "—"
    layout = Layout(
        kind="report",
        title="Анализ причин повторного открытия электронных журналов за семестр (KZ-13, п. 5)",
        heading=("Проректору по академической деятельности",),
        fields=(
            *await _scope_fields(deps, request, period),
            ("Всего открытий", str(analysis.total)),
            ("Завершено", str(analysis.closed)),
            ("Медиана до закрытия, дней", median),
        ),
        tables=(
            *tables.reopen_tables(analysis, people),
            tables.sanctions_table(report.sanctions, people),
            tables.measures_table(report.measures),
        ),
        signatures=(),
    )
    return _file([layout], request, f"reopen-analysis-{period.start.isoformat()}")


async def curator_report(deps: Deps, principal: Principal, request: JobRequest, progress: Progress) -> Built:
    period = Period.of(request.from_date, request.to_date, 30)
    rows = await curator_list(deps, principal, request.scope.group_id, period, "")
    await progress(1, 1)
    async with deps.unit_of_work() as uow:
        session = uow.session
        group = (await unit_names(session, [request.scope.group_id])).get(request.scope.group_id, "")
    layout = Layout(
        kind="report",
        title="Журнал посещаемости куратора: связь с родителями (KG-11)",
        fields=await _scope_fields(deps, request, period),
        tables=(tables.curator_table(rows, group),),
    )
    return _file([layout], request, "curator-attendance")


async def term_statements(deps: Deps, principal: Principal, request: JobRequest, progress: Progress) -> Built:
    scope = request.scope
    if not scope.term_id:
        raise InvalidArgument("scope.term_id", "is required")
    layouts: list[Layout] = []
    async with deps.unit_of_work() as uow:
        session = uow.session
        ids = await printable_statements(session, scope)
        for index, statement_id in enumerate(ids, start=1):
            layouts.append(await statement_layout_for(session, principal, statement_id))
            if index % 20 == 0 or index == len(ids):
                await progress(index, len(ids))
    if not layouts:
        raise InvalidArgument("scope.term_id", "the term has no statement to print")
    return _file(layouts, request, f"statements-{scope.term_id[:8]}")


BUILDERS: Mapping[str, Builder] = {
    "weekly_filling": weekly_filling,
    "quality_and_attendance": quality_and_attendance,
    "reopen_analysis": reopen_report,
    "curator_attendance": curator_report,
    "term_statements": term_statements,
}


def check_start(principal: Principal, request: JobRequest) -> None:
    if request.kind == "reopen_analysis":
        allow(principal, "journal.monitor", faculty_id=request.scope.faculty_id)
    elif request.kind == "curator_attendance" and not request.scope.group_id:
        raise InvalidArgument("scope.group_id", "is required for the curators' list")
    else:
        authorize_scope(principal, request.scope)
