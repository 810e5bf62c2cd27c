"""Starting closing-deadline workflows from curriculum's events and moving their deadlines."""

from __future__ import annotations

from datetime import datetime

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from ejournal_platform.logging import get_logger
from services.workflow.adapters.case_processes import domain_error
from services.workflow.processes.closing.messages import (
    ClosingInput,
    ClosingView,
    MoveDeadlineRequest,
    workflow_id,
)
from services.workflow.processes.closing.workflows import ClosingDeadlineWorkflow

log = get_logger(__name__)


class ClosingProcesses:
    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    async def schedule(self, closing: ClosingInput) -> None:
        """Start the event's closing workflow, or bring a running one to this revision's deadline."""
        handle = await self.client.start_workflow(
            ClosingDeadlineWorkflow.run,
            closing,
            id=workflow_id(closing.control_event_id, closing.journal_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        view = await handle.query(ClosingDeadlineWorkflow.view)
        if view.revision < closing.revision and view.deadline != closing.closing_deadline:
            await self.move(
                closing.control_event_id,
                closing.closing_deadline,
                closing.revision,
                "curriculum",
                "control event rescheduled",
            )

    async def cancel(self, control_event_id: str, reason: str) -> bool:
        """The control event was cancelled (ControlEventCancelled): stop its closing process, so it
        reminds nobody; False when none runs (never started, finished, or already stopped)."""
        handle = self.client.get_workflow_handle(workflow_id(control_event_id))
        try:
            await handle.terminate(reason=f"control event cancelled: {reason}")
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True

    async def move(
        self, control_event_id: str, new_deadline: datetime, revision: int, changed_by: str, reason: str
    ) -> ClosingView | None:
        """Move the running workflow's deadline; None when there is none to move (closed or unknown)."""
        handle = self.client.get_workflow_handle(workflow_id(control_event_id))
        try:
            view = await handle.execute_update(
                ClosingDeadlineWorkflow.move_deadline,
                MoveDeadlineRequest(new_deadline, revision, changed_by, reason),
            )
        except WorkflowUpdateFailedError as failure:
            error = domain_error(failure.cause)
            log.info("closing deadline not moved", control_event_id=control_event_id, reason=error.message)
            return None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                log.info("no running closing workflow", control_event_id=control_event_id)
                return None
            raise
        return view
