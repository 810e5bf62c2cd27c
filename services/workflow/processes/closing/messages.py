"""Inputs and outputs of the closing-deadline process (KZ-05, KZ-06): one dataclass each.

Stored in workflow histories: add fields only with defaults, never rename or remove one.
"""

from dataclasses import dataclass
from datetime import datetime


def workflow_id(control_event_id: str, journal_id: str = "") -> str:
    """The event's process; with a journal, the late process of that one journal's section."""
    return f"closing-{control_event_id}" + (f"-{journal_id}" if journal_id else "")


def idempotency_key(control_event_id: str, journal_id: str = "") -> str:
    """CloseSection's key: the late close of one journal's section is another call than the event's."""
    return f"closing:{control_event_id}" + (f":{journal_id}" if journal_id else "")


@dataclass(frozen=True)
class ClosingInput:
    control_event_id: str
    kind: str
    course_unit_id: str
    group_id: str
    subgroup_id: str
    event_date: str  # ISO date (dates travel as text)
    closing_deadline: datetime
    department_id: str
    faculty_id: str
    profile_code: str
    revision: int
    # Reminders to teachers with unfilled cells, this many hours before the deadline.
    reminder_hours_before: tuple[int, ...] = (48, 24)
    activity_timeout_seconds: float = 30.0
    # One journal whose section the gradebook opened after the deadline had passed (its late
    # process; see service_layer/control_event_deadlines.py); empty: every journal of the event.
    journal_id: str = ""


@dataclass(frozen=True)
class MoveDeadlineRequest:
    """The registrar moved the closing deadline (KZ-06), or curriculum rescheduled the event."""

    new_deadline: datetime
    revision: int
    changed_by: str
    reason: str


@dataclass(frozen=True)
class ClosingView:
    control_event_id: str
    deadline: datetime
    revision: int
    reminders_sent: tuple[int, ...]
    closed: bool
    closed_at: datetime | None
    sections_closed: int
    moves: tuple[str, ...]


@dataclass(frozen=True)
class ReminderInput:
    control_event_id: str
    deadline: datetime
    hours_before: int
    revision: int
    event_date: str = ""
    kind: str = ""  # the control event's kind (current, midterm, ...): notices name the event by it


@dataclass(frozen=True)
class ReminderResult:
    teachers_reminded: int


@dataclass(frozen=True)
class CloseSectionsInput:
    control_event_id: str
    deadline: datetime
    reason: str
    idempotency_key: str
    # One journal's section only (KZ-15 forms a complete journal's statement); empty: every journal.
    journal_id: str = ""


@dataclass(frozen=True)
class CloseSectionsResult:
    sections_closed: int
