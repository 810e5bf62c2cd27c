"""Starting statement-deadline workflows (KZ-15) from curriculum's final-control events, and moving
them when the registrar moves the final control's closing deadline. Whether an event starts one, and
its input, is the use case's (service_layer/control_event_deadlines.py)."""

from __future__ import annotations

from datetime import date, datetime

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from ejournal_platform.logging import get_logger
from ejournal_regulation import get_profile
from services.workflow.adapters.case_processes import domain_error
from services.workflow.domain.statement_deadline import moved_deadline
from services.workflow.processes.statements.messages import (
    MoveStatementDeadline,
    StatementDeadlineInput,
    StatementDeadlineView,
    workflow_id,
)
from services.workflow.processes.statements.workflows import StatementDeadlineWorkflow

log = get_logger(__name__)


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

    async def cancel(self, control_event_id: str, reason: str) -> bool:
        """The control event was cancelled (ControlEventCancelled): stop its statement-deadline process, so it
        reminds nobody; False when none runs (never started, finished, or already stopped)."""
        handle = self.client.get_workflow_handle(workflow_id(control_event_id))
        try:
            await handle.terminate(reason=f"control event cancelled: {reason}")
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True

    async def follow_closing(
        self, control_event_id: str, closing_deadline: datetime, revision: int, changed_by: str, reason: str
    ) -> StatementDeadlineView | None:
        """The closing deadline moved: move the running statement deadline with it (moved_deadline).
        None when there is nothing to move: no process for this event, settled, or the same deadline."""
        handle = self.client.get_workflow_handle(workflow_id(control_event_id))
        try:
            view = await handle.query(StatementDeadlineWorkflow.view)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return None
            raise
        days = get_profile(view.profile_code).statements_within_days if view.profile_code else None
        if days is None or view.settled:
            return None
        new_deadline = moved_deadline(date.fromisoformat(view.event_date), days, closing_deadline)
        if new_deadline == view.deadline:
            return None
        try:
            return await handle.execute_update(
                StatementDeadlineWorkflow.move_deadline,
                MoveStatementDeadline(new_deadline, revision, changed_by, reason),
            )
        except WorkflowUpdateFailedError as failure:
            log.info("statement deadline not moved", control_event_id=control_event_id,
                     reason=domain_error(failure.cause).message)  # fmt: skip
            return None
