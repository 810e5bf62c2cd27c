"""Inputs and outputs of the statement-deadline process (KZ-15): one dataclass each.

Stored in workflow histories: add fields only with defaults, never rename or remove one.
"""

from dataclasses import dataclass
from datetime import datetime


def workflow_id(control_event_id: str) -> str:
    return f"statement-deadline-{control_event_id}"


@dataclass(frozen=True)
class StatementDeadlineInput:
    control_event_id: str
    kind: str
    course_unit_id: str
    event_date: str  # ISO date (dates travel as text)
    deadline: datetime
    department_id: str
    faculty_id: str
    profile_code: str
    revision: int
    # Teachers with unfilled cells are reminded, then their department head is told, this many hours
    # before the deadline.
    remind_hours_before: tuple[int, ...] = (48,)
    escalate_hours_before: tuple[int, ...] = (24,)
    activity_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class MoveStatementDeadline:
    """The registrar moved the final control's closing deadline: the statement deadline follows it."""

    new_deadline: datetime
    revision: int
    changed_by: str
    reason: str


@dataclass(frozen=True)
class AlertInput:
    control_event_id: str
    event_date: str
    deadline: datetime
    kind: str  # "remind" or "escalate"
    hours_before: int
    department_id: str
    faculty_id: str
    event_kind: str = ""  # the control event's kind (final_attestation, ...): notices name the event by it


@dataclass(frozen=True)
class AlertResult:
    journals_incomplete: int


@dataclass(frozen=True)
class SettleInput:
    control_event_id: str
    event_date: str
    deadline: datetime
    department_id: str
    faculty_id: str
    event_kind: str = ""


@dataclass(frozen=True)
class SettleResult:
    formed: tuple[str, ...]  # journals whose statement the process formed (or found formed)
    late: tuple[str, ...]  # journals recorded late: incomplete on the deadline


@dataclass(frozen=True)
class StatementDeadlineView:
    control_event_id: str
    deadline: datetime
    alerts_sent: tuple[str, ...]  # "remind@48h", "escalate@24h"
    settled: bool
    formed: tuple[str, ...]
    late: tuple[str, ...]
    revision: int = 0
    event_date: str = ""
    profile_code: str = ""
    moves: tuple[str, ...] = ()  # "<when> <who>: <old> -> <new> (<reason>)"
