"""Inputs and outputs of the daily fill check (KZ-09) and the weekly journal check (KG-08).

Stored in workflow histories: add fields only with defaults, never rename or remove one. Dates are ISO
text ("2026-11-23"): Temporal's JSON converter carries datetimes but not dates.
"""

from dataclasses import dataclass

from services.workflow.domain.fill_checks import JournalFill, LessonDayFill, WeekFill

__all__ = ["JournalFill", "LessonDayFill", "WeekFill"]


@dataclass(frozen=True)
class DailyCheckInput:
    profile_code: str
    # The university's offset from UTC: the day checked is the local day that just ended.
    utc_offset_hours: int = 5
    day: str | None = None
    activity_timeout_seconds: float = 120.0


@dataclass(frozen=True)
class WeeklyCheckInput:
    profile_code: str
    utc_offset_hours: int = 5
    # Monday of the week checked; None: the week that ended before the scheduled run.
    week_start: str | None = None
    activity_timeout_seconds: float = 300.0


@dataclass(frozen=True)
class DayCheckRequest:
    profile_code: str
    day: str


@dataclass(frozen=True)
class WeekCheckRequest:
    profile_code: str
    week_start: str


@dataclass(frozen=True)
class DailyCheckResult:
    day: str
    journals_checked: int
    flagged: int


@dataclass(frozen=True)
class WeeklyCheckResult:
    week_start: str
    journals_checked: int
    journals_with_findings: int


# -- what the gradebook reports (GetFillStatus), as the port's answer -----------------------------


@dataclass(frozen=True)
class FillStatusInput:
    journal_id: str = ""
    teacher_id: str = ""
    department_id: str = ""
    from_date: str = ""
    to_date: str = ""


@dataclass(frozen=True)
class FillStatus:
    journals: tuple[JournalFill, ...] = ()
