"""KG-09: students scan the classroom's code at the start of a lesson. A scan is accepted from the
profile's minutes before the lesson's start up to its minutes after; outside that window it is
refused naming the window; inside it, a scan after the profile's lateness threshold is recorded late.

A lesson's date and start are the university's local time (`time_zone` of the profile's window).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ejournal_regulation import CheckInWindow


class OutsideWindow(ValueError):
    """A scan before the window opens or after it closes; the window is in local time."""

    def __init__(self, opens: datetime, closes: datetime) -> None:
        super().__init__(
            f"check-in for this lesson is open from {opens:%H:%M} to {closes:%H:%M} on {opens:%Y-%m-%d}"
        )
        self.opens = opens
        self.closes = closes


@dataclass(frozen=True)
class LessonWindow:
    opens: datetime
    starts: datetime
    late_from: datetime | None
    closes: datetime

    def status_at(self, moment: datetime) -> str:
        """'present' or 'late' for a scan at `moment`; OutsideWindow when the window is not open."""
        if not self.opens <= moment <= self.closes:
            raise OutsideWindow(self.opens, self.closes)
        return "late" if self.late_from is not None and moment > self.late_from else "present"


def lesson_start(starts_at: str) -> time | None:
    """The start as written in the schedule ("09:00"); None when the schedule gives none."""
    try:
        return time.fromisoformat(starts_at) if starts_at else None
    except ValueError:
        return None


def lesson_window(rule: CheckInWindow, lesson_date: date, starts_at: str) -> LessonWindow:
    """The window of one lesson; a lesson without a start time is open for its whole local day."""
    zone = ZoneInfo(rule.time_zone)
    start = lesson_start(starts_at)
    if start is None:
        day = datetime.combine(lesson_date, time(0, 0), zone)
        return LessonWindow(day, day, None, day + timedelta(days=1) - timedelta(microseconds=1))
    starts = datetime.combine(lesson_date, start, zone)
    late = None if rule.late_after_minutes is None else starts + timedelta(minutes=rule.late_after_minutes)
    return LessonWindow(
        starts - timedelta(minutes=rule.opens_minutes_before),
        starts,
        late,
        starts + timedelta(minutes=rule.closes_minutes_after),
    )
