"""Curriculum's control events drive the deadline processes: a scheduled control event starts its
closing deadline (KZ-05, KZ-06) and, after a final control, its statement deadline (KZ-15); a moved
closing deadline moves both; a cancelled control event stops both, so they remind nobody. A section
the gradebook opens after its deadline has passed (its journal arrived late) gets a closing process
of its own, which closes it at once: the event's process closed only the journals that existed then.

Starting, moving and stopping a workflow is idempotent on Temporal's side, so a redelivered event
has no second effect. The event consumer (entrypoints/consumers.py) translates events into these
commands; a malformed instant arrives here as None."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ejournal_regulation import get_profile
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.adapters.statement_processes import StatementProcesses
from services.workflow.domain.statement_deadline import is_final_control, statement_deadline
from services.workflow.processes.closing.messages import ClosingInput
from services.workflow.processes.statements.messages import StatementDeadlineInput


@dataclass(frozen=True)
class DeadlineProcesses:
    """The Temporal clients these use cases drive (a deployment without statement deadlines has none)."""

    closing: ClosingProcesses
    statements: StatementProcesses | None = None


@dataclass(frozen=True, kw_only=True)
class ScheduleDeadlines:
    control_event_id: str
    kind: str
    course_unit_id: str
    group_id: str
    subgroup_id: str
    event_date: str
    closing_deadline: datetime | None  # None: the profile closes on an event (KG-06), not at a date
    department_id: str
    faculty_id: str
    profile_code: str
    revision: int


@dataclass(frozen=True, kw_only=True)
class CloseOverdueSection:
    """Gradebook's SectionScheduled: one journal's section of a control event, with its deadline."""

    journal_id: str
    section: str
    control_kind: str
    course_unit_id: str
    group_id: str
    event_date: str
    closing_deadline: datetime | None
    department_id: str
    faculty_id: str
    profile_code: str


@dataclass(frozen=True, kw_only=True)
class MoveClosingDeadline:
    control_event_id: str
    new_deadline: datetime
    revision: int
    changed_by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class CancelDeadlines:
    control_event_id: str
    reason: str


async def schedule_deadlines(processes: DeadlineProcesses, cmd: ScheduleDeadlines) -> None:
    statement = statement_deadline_input(
        cmd.control_event_id,
        cmd.kind,
        cmd.course_unit_id,
        cmd.event_date,
        cmd.closing_deadline,
        cmd.department_id,
        cmd.faculty_id,
        cmd.profile_code,
        cmd.revision,
    )
    if processes.statements is not None and statement is not None:
        await processes.statements.schedule(statement)
    if cmd.closing_deadline is None:
        return
    await processes.closing.schedule(
        ClosingInput(
            cmd.control_event_id,
            cmd.kind,
            cmd.course_unit_id,
            cmd.group_id,
            cmd.subgroup_id,
            cmd.event_date,
            cmd.closing_deadline,
            cmd.department_id,
            cmd.faculty_id,
            cmd.profile_code,
            cmd.revision,
        )
    )


async def close_overdue_section(
    processes: DeadlineProcesses, cmd: CloseOverdueSection, now: datetime
) -> bool:
    """Start the late closing process of a section scheduled after its deadline; False when the
    deadline is still ahead (the event's own process will close it) or there is none (KG-06)."""
    if cmd.closing_deadline is None or cmd.closing_deadline > now:
        return False
    await processes.closing.schedule(
        ClosingInput(
            cmd.section,
            cmd.control_kind,
            cmd.course_unit_id,
            cmd.group_id,
            "",
            cmd.event_date,
            cmd.closing_deadline,
            cmd.department_id,
            cmd.faculty_id,
            cmd.profile_code,
            0,
            journal_id=cmd.journal_id,
        )
    )
    return True


async def move_closing_deadline(processes: DeadlineProcesses, cmd: MoveClosingDeadline) -> None:
    await processes.closing.move(
        cmd.control_event_id, cmd.new_deadline, cmd.revision, cmd.changed_by, cmd.reason
    )
    if processes.statements is not None:  # KZ-15's deadline follows the final control's closing
        await processes.statements.follow_closing(
            cmd.control_event_id, cmd.new_deadline, cmd.revision, cmd.changed_by, cmd.reason
        )


async def cancel_deadlines(processes: DeadlineProcesses, cmd: CancelDeadlines) -> None:
    await processes.closing.cancel(cmd.control_event_id, cmd.reason)
    if processes.statements is not None:
        await processes.statements.cancel(cmd.control_event_id, cmd.reason)


def statement_deadline_input(
    control_event_id: str,
    kind: str,
    course_unit_id: str,
    event_date: str,
    closing_deadline: datetime | None,
    department_id: str,
    faculty_id: str,
    profile_code: str,
    revision: int,
) -> StatementDeadlineInput | None:
    """The process's input for a final control of a profile with a statement deadline, else None."""
    if not is_final_control(kind) or not profile_code:
        return None
    days = get_profile(profile_code).statements_within_days
    try:
        day = date.fromisoformat(event_date)
    except ValueError:
        return None
    if days is None:
        return None
    return StatementDeadlineInput(
        control_event_id,
        kind,
        course_unit_id,
        event_date,
        statement_deadline(day, days, closing_deadline),
        department_id,
        faculty_id,
        profile_code,
        revision,
    )
