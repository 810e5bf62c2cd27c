"""Report figures as printable tables (for the background reports' PDF/XLSX)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.reporting.domain.figures import text
from services.reporting.domain.layout import Column, Table
from services.reporting.domain.reopens import Count, ReopenAnalysis
from services.reporting.service_layer.reports.attendance import AttendanceRow, CuratorRow
from services.reporting.service_layer.reports.filling import FillingRow
from services.reporting.service_layer.reports.quality import QualityRow


def filling_table(rows: Sequence[FillingRow], caption: str) -> Table:
    columns = (
        Column("Неделя / Апта", 1.6, "C"),
        Column("Кто / Кім", 4.5),
        Column("Занятий", 1.2, "R"),
        Column("Заполнено", 1.2, "R"),
        Column("%", 1.0, "R"),
        Column("В день занятия %", 1.5, "R"),
        Column("Полнота %", 1.2, "R"),
    )
    body = tuple(
        (
            r.week_start,
            r.name or r.key,
            str(r.figures.lessons_held),
            str(r.figures.lessons_filled),
            text(r.figures.filled_rate),
            text(r.figures.on_time_rate),
            text(r.figures.completeness),
        )
        for r in rows
    )
    return Table(columns, body, caption)


def attendance_table(rows: Sequence[AttendanceRow], caption: str) -> Table:
    columns = (
        Column("Кто / Кім", 5.0),
        Column("Отметок", 1.2, "R"),
        Column("Был", 1.2, "R"),
        Column("Пропуски", 1.2, "R"),
        Column("Посещаемость %", 1.6, "R"),
        Column("Часов пропущено", 1.6, "R"),
    )
    body = tuple(
        (
            r.name or r.key,
            str(r.figures.records),
            str(r.figures.present),
            str(r.figures.absent),
            text(r.figures.attendance_rate),
            text(r.figures.hours_missed),
        )
        for r in rows
    )
    return Table(columns, body, caption)


def quality_table(rows: Sequence[QualityRow], caption: str) -> Table:
    columns = (
        Column("Кто / Кім", 4.5),
        Column("Профиль", 1.6),
        Column("Результатов", 1.4, "R"),
        Column("Сдали", 1.1, "R"),
        Column("На «хорошо» и «отлично»", 1.8, "R"),
        Column("Успеваемость %", 1.5, "R"),
        Column("Качество %", 1.4, "R"),
        Column("Средний", 1.2, "R"),
    )
    body = tuple(
        (
            r.name or r.key,
            r.profile_code,
            str(r.figures.results),
            str(r.figures.passed),
            str(r.figures.good),
            text(r.figures.performance_rate),
            text(r.figures.quality_rate),
            text(r.figures.average),
        )
        for r in rows
    )
    return Table(columns, body, caption)


def reopen_tables(analysis: ReopenAnalysis, names: dict[str, str]) -> tuple[Table, ...]:
    def counts(rows: Sequence[Count], caption: str, with_measure: bool, what: str) -> Table:
        columns = [Column(what, 5.0), Column("Количество", 1.4, "R"), Column("%", 1.0, "R")]
        if with_measure:
            columns.append(Column("Мера (KZ-14)", 2.0))
        body: list[tuple[str, ...]] = []
        for row in rows:
            cells = [names.get(row.key, row.key), str(row.count), text(row.share)]
            if with_measure:
                cells.append(row.measure)
            body.append(tuple(cells))
        return Table(tuple(columns), tuple(body), caption)

    steps = Table(
        (
            Column("Шаг / Қадам", 3.0),
            Column("Случаев", 1.2, "R"),
            Column("Медиана, ч", 1.4, "R"),
            Column("Максимум, ч", 1.4, "R"),
            Column("Просрочено", 1.4, "R"),
        ),
        tuple(
            (s.step, str(s.cases), text(s.median_hours), text(s.max_hours), str(s.overdue))
            for s in analysis.steps
        ),
        "Сроки шагов процедуры (KZ-13)",
    )
    return (
        counts(analysis.by_reason, "Причины / Себептер", False, "Причина / Себебі"),
        counts(analysis.by_faculty, "По факультетам", False, "Факультет"),
        counts(analysis.by_department, "По кафедрам (KZ-10, KZ-14)", True, "Кафедра"),
        counts(analysis.by_teacher, "По преподавателям (KZ-14)", True, "Преподаватель / Оқытушы"),
        steps,
    )


def curator_table(rows: Sequence[CuratorRow], caption: str) -> Table:
    columns = (
        Column("Студент", 4.0),
        Column("Пропуски", 1.1, "R"),
        Column("Посещаемость %", 1.5, "R"),
        Column("Часов", 1.0, "R"),
        Column("Родители / Ата-ана (логин)", 5.0),
    )
    body = tuple(
        (
            r.full_name,
            str(r.figures.absent),
            text(r.figures.attendance_rate),
            text(r.figures.hours_missed),
            "; ".join(f"{p.full_name} ({p.login})" for p in r.parents) or "—",
        )
        for r in rows
    )
    return Table(columns, body, caption)


def sanctions_table(rows: Sequence[Any], names: dict[str, str]) -> Table:
    columns = (
        Column("Кому", 4.0),
        Column("Открытий", 1.2, "R"),
        Column("Мера (KZ-14)", 2.0),
        Column("Протокол / приказ", 3.0),
    )
    body = tuple(
        (names.get(r.subject_id, r.subject_id), str(r.count), r.measure, r.reference or "предложена")
        for r in rows
    )
    return Table(columns, body, "Дисциплинарные меры (KZ-13, п. 7)")


def measures_table(rows: Sequence[Any]) -> Table:
    columns = (Column("Вид", 2.0), Column("Содержание", 6.0), Column("Дата", 2.0))
    body = tuple(
        (r.kind, r.description, r.recorded_at.date().isoformat() if r.recorded_at else "") for r in rows
    )
    return Table(columns, body, "Корректирующие меры (KZ-13, п. 6)")
