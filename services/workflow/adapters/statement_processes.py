"""Starting statement-deadline workflows (KZ-15) from curriculum's final-control events."""

from __future__ import annotations

from datetime import date, datetime

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from ejournal_regulation import get_profile
from services.workflow.domain.statement_deadline import is_final_control, statement_deadline
from services.workflow.statements.messages import StatementDeadlineInput, workflow_id
from services.workflow.statements.workflows import StatementDeadlineWorkflow


class StatementProcesses:
    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    async def schedule(self, facts: StatementDeadlineInput) -> None:
        """Start the event's statement deadline once (a redelivered event finds the running one)."""
        await self.client.start_workflow(
            StatementDeadlineWorkflow.run,
            facts,
            id=workflow_id(facts.control_event_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )


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
