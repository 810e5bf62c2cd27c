"""The daily fill check (KZ-09) and the weekly journal check (KG-08) as rules over fill figures."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


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
class WeeklyFigures:
    lessons: int
    lessons_filled: int
    filled_percent: Decimal
    attendance_percent: Decimal
    findings: tuple[str, ...]


def weekly_figures(week: WeekFill) -> WeeklyFigures:
    """KG-08: how fully the journal was filled and attendance kept in the week, with what is wrong."""
    findings: list[str] = []
    empty_lessons = week.lessons - week.lessons_with_marks
    if empty_lessons > 0:
        findings.append(f"{empty_lessons} of {week.lessons} lessons without marks")
    if week.expected_cells > week.filled_cells:
        findings.append(f"{week.expected_cells - week.filled_cells} of {week.expected_cells} cells empty")
    if week.lessons > 0 and week.attendance_records == 0:
        findings.append("no attendance recorded")
    return WeeklyFigures(
        week.lessons,
        week.lessons_with_marks,
        percent(week.filled_cells, week.expected_cells),
        percent(week.present, week.attendance_records),
        tuple(findings),
    )
