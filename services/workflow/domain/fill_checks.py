"""The daily fill check (KZ-09) and the weekly journal check (KG-08) as rules over fill figures."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from services.workflow.domain import notice_texts as say


@dataclass(frozen=True)
class LessonDayFill:
    date: str
    lessons: int
    has_marks: bool
    students: int
    marks: int
    attendance_records: int
    absent: int


@dataclass(frozen=True)
class WeekFill:
    week_start: str
    lessons: int
    lessons_with_marks: int
    expected_cells: int
    filled_cells: int
    attendance_records: int
    present: int
    absent: int


@dataclass(frozen=True)
class JournalFill:
    journal_id: str
    teacher_ids: tuple[str, ...]
    department_id: str
    faculty_id: str
    course_unit_id: str
    unit_days: int
    days: tuple[LessonDayFill, ...] = ()
    weeks: tuple[WeekFill, ...] = ()


def ungraded_days(
    journal: JournalFill, day: str, needs_daily_grades: Callable[[int], bool]
) -> tuple[LessonDayFill, ...]:
    """Lesson days of `day` that ended without any grade, in a journal whose unit needs daily grades
    (KZ-09; `needs_daily_grades` is the profile's rule over the unit's length in days)."""
    if not needs_daily_grades(journal.unit_days):
        return ()
    return tuple(d for d in journal.days if d.date == day and d.lessons > 0 and not d.has_marks)


def unfilled_cells(journal: JournalFill, until: str) -> int:
    """Cells still empty on lesson days up to `until` (ISO date): students x lessons - marks."""
    return sum(max(0, d.students * d.lessons - d.marks) for d in journal.days if not until or d.date <= until)


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a week, as a catalog key (notice_texts.py) with its values."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return say.english(self.key, self.values)


@dataclass(frozen=True)
class WeeklyFigures:
    lessons: int
    lessons_filled: int
    filled_percent: Decimal
    attendance_percent: Decimal
    findings: tuple[Finding, ...]

    @property
    def findings_in_english(self) -> list[str]:
        return [str(f) for f in self.findings]


def weekly_figures(week: WeekFill) -> WeeklyFigures:
    """KG-08: how fully the journal was filled and attendance kept in the week, with what is wrong."""
    findings: list[Finding] = []
    empty_lessons = week.lessons - week.lessons_with_marks
    if empty_lessons > 0:
        values = {"empty": str(empty_lessons), "lessons": str(week.lessons)}
        findings.append(Finding(say.LESSONS_WITHOUT_MARKS, values))
    if week.expected_cells > week.filled_cells:
        values = {"empty": str(week.expected_cells - week.filled_cells), "cells": str(week.expected_cells)}
        findings.append(Finding(say.CELLS_EMPTY, values))
    if week.lessons > 0 and week.attendance_records == 0:
        findings.append(Finding(say.NO_ATTENDANCE))
    return WeeklyFigures(
        week.lessons,
        week.lessons_with_marks,
        percent(week.filled_cells, week.expected_cells),
        percent(week.present, week.attendance_records),
        tuple(findings),
    )
