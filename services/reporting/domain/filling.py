"""Journal filling (KG-11 weekly report, KG-08 checks, KZ-09 unfilled lesson days, KZ-10 quality view).

A lesson that has taken place (its date is on or before the day of the report and it was not
cancelled) is *filled* when the journal holds at least one entry (mark or attendance) for it, and
*filled on time* when the first entry was made no later than the profile's grade-entry day (KG-04:
on the lesson day). `entries / expected` measures completeness: every student of the group should
have an entry for every lesson held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from services.reporting.domain.figures import rate

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class LessonFilling:
    """One held lesson of one journal, as the read models see it."""

    lesson_id: str
    lesson_date: date
    course_unit_id: str
    group_id: str
    teacher_id: str
    department_id: str
    faculty_id: str
    students: int  # students expected to have an entry
    entries: int  # students who have one
    first_entry_on: date | None  # local date of the first entry
    entry_days_allowed: int = 0  # profile: grade_entry.days_after_lesson

    @property
    def filled(self) -> bool:
        return self.entries > 0

    @property
    def on_time(self) -> bool:
        return self.first_entry_on is not None and self.first_entry_on <= self.lesson_date + timedelta(
            days=self.entry_days_allowed
        )


@dataclass(frozen=True)
class FillingFigures:
    lessons_held: int
    lessons_filled: int
    lessons_on_time: int
    entries: int
    expected_entries: int
    unfilled_lesson_ids: tuple[str, ...]

    @property
    def filled_rate(self) -> Decimal | None:
        return rate(self.lessons_filled, self.lessons_held)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.lessons_on_time, self.lessons_held)

    @property
    def completeness(self) -> Decimal | None:
        return rate(self.entries, self.expected_entries)


def held(lessons: Iterable[LessonFilling], start: date, end: date) -> list[LessonFilling]:
    """Lessons of [start, end] — the caller passes only lessons that took place (not cancelled)."""
    return [lesson for lesson in lessons if start <= lesson.lesson_date <= end]


def figures(lessons: Iterable[LessonFilling]) -> FillingFigures:
    items = list(lessons)
    return FillingFigures(
        lessons_held=len(items),
        lessons_filled=sum(1 for lesson in items if lesson.filled),
        lessons_on_time=sum(1 for lesson in items if lesson.on_time),
        entries=sum(min(lesson.entries, lesson.students) for lesson in items),
        expected_entries=sum(lesson.students for lesson in items),
        unfilled_lesson_ids=tuple(sorted(lesson.lesson_id for lesson in items if not lesson.filled)),
    )


def figures_by(
    lessons: Iterable[LessonFilling], key: Callable[[LessonFilling], K]
) -> dict[K, FillingFigures]:
    """Figures per teacher, department, faculty... (whatever `key` picks)."""
    groups: dict[K, list[LessonFilling]] = defaultdict(list)
    for lesson in lessons:
        groups[key(lesson)].append(lesson)
    return {k: figures(v) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}


def weeks(start: date, end: date) -> list[tuple[date, date]]:
    """Monday-to-Sunday weeks covering [start, end] (the weekly report's rows)."""
    monday = start - timedelta(days=start.weekday())
    result = []
    while monday <= end:
        result.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return result
