"""Inputs and outputs of the daily fill check (KZ-09) and the weekly journal check (KG-08).

Stored in workflow histories: add fields only with defaults, never rename or remove one.
"""


from dataclasses import dataclass

@dataclass(frozen=True)
class DailyCheckInput:
    profile_code: str
    max_unit_days: int
    # The university's offset from UTC: the day checked is the local day that just ended.
    utc_offset_hours: int = 5
    day: str | None = None  # ISO date (dates travel as text)
    activity_timeout_seconds: float = 60.0


@dataclass(frozen=True)
class WeeklyCheckInput:
    profile_code: str
    utc_offset_hours: int = 5
    # Monday of the week checked; None: the week that ended before the scheduled run.
    week_start: str | None = None
    activity_timeout_seconds: float = 120.0


@dataclass(frozen=True)
class FillStatusInput:
    profile_code: str
    day: str | None = None  # ISO date (dates travel as text)
    week_start: str | None = None
    max_unit_days: int | None = None


@dataclass(frozen=True)
class LessonDayFill:
    """One lesson day of a journal: how long its course unit lasts and how many grades it has."""

    journal_id: str
    course_unit_id: str
    lesson_date: str
    teacher_id: str
    department_id: str
    faculty_id: str
    unit_days: int
    current_grades: int


@dataclass(frozen=True)
class JournalWeek:
    """A journal's week: lessons held, lessons with marks entered, attendance marked vs expected."""

    journal_id: str
    teacher_id: str
    department_id: str
    faculty_id: str
    lessons: int
    lessons_filled: int
    attendance_marked: int
    attendance_expected: int


@dataclass(frozen=True)
class FillStatus:
    lesson_days: tuple[LessonDayFill, ...] = ()
    journals: tuple[JournalWeek, ...] = ()


@dataclass(frozen=True)
class DailyCheckResult:
    day: str
    flagged: int


@dataclass(frozen=True)
class WeeklyCheckResult:
    week_start: str
    journals_checked: int
    journals_with_findings: int
