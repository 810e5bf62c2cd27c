"""Filling figures for the monitoring checks: per lesson day whether marks exist (KZ-09) and weekly
filling and attendance (KG-08)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class LessonFill:
    lesson_id: str
    date: date
    students: int
    marks: int
    attendance_records: int
    present: int
    absent: int


@dataclass(frozen=True)
class DayFill:
    date: date
    lesson_ids: tuple[str, ...]
    has_marks: bool
    students: int
    marks: int
    attendance_records: int
    absent: int


@dataclass(frozen=True)
class WeekFigures:
    week_start: date
    lessons: int
    lessons_with_marks: int
    expected_cells: int
    filled_cells: int
    filling_percent: Decimal
    attendance_records: int
    present: int
    absent: int
    attendance_percent: Decimal


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def by_day(lessons: Sequence[LessonFill]) -> list[DayFill]:
    days: dict[date, list[LessonFill]] = {}
    for lesson in lessons:
        days.setdefault(lesson.date, []).append(lesson)
    return [
        DayFill(
            day,
            tuple(x.lesson_id for x in items),
            any(x.marks > 0 for x in items),
            max(x.students for x in items),
            sum(x.marks for x in items),
            sum(x.attendance_records for x in items),
            sum(x.absent for x in items),
        )
        for day, items in sorted(days.items())
    ]


def by_week(lessons: Sequence[LessonFill]) -> list[WeekFigures]:
    weeks: dict[date, list[LessonFill]] = {}
    for lesson in lessons:
        monday = lesson.date - timedelta(days=lesson.date.weekday())
        weeks.setdefault(monday, []).append(lesson)
    out = []
    for monday, items in sorted(weeks.items()):
        expected = sum(x.students for x in items)
        filled = sum(min(x.marks, x.students) for x in items)
        present = sum(x.present for x in items)
        absent = sum(x.absent for x in items)
        out.append(
            WeekFigures(
                monday,
                len(items),
                sum(1 for x in items if x.marks > 0),
                expected,
                filled,
                percent(filled, expected),
                sum(x.attendance_records for x in items),
                present,
                absent,
                percent(present, present + absent),
            )
        )
    return out
