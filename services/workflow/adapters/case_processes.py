"""Starting reopen-case workflows and sending them their human steps (updates), with Temporal's errors
turned back into the domain errors the update validators raised."""

from __future__ import annotations

import contextlib
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from ejournal_platform import errors
from services.workflow.processes.reopen.messages import CaseView, ReopenCaseInput, workflow_id
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.search_attributes import (
    DEPARTMENT_ID,
    FACULTY_ID,
    JOURNAL_ID,
    OVERDUE,
    STEP,
    TEACHER_ID,
)

_ERRORS: dict[str, type[errors.DomainError]] = {
    "PermissionDenied": errors.PermissionDenied,
    "FailedPrecondition": errors.FailedPrecondition,
    "NotFound": errors.NotFound,
    "AlreadyExists": errors.AlreadyExists,
}


class CaseEnded(Exception):
    """The case's workflow has completed: the caller explains from the case's record."""


def domain_error(cause: BaseException | None) -> errors.DomainError:
    """The refusal an update's validator raised (see reopen/workflows.refusal), as a domain error."""
    if not isinstance(cause, ApplicationError):
        return errors.FailedPrecondition(f"the step was not accepted: {cause}")
    details = list(cause.details) if cause.details else []
    field = str(details[0]) if details else ""
    reason = str(details[1]) if len(details) > 1 else cause.message
    kind = cause.type or ""
    if kind == "InvalidArgument":
        return errors.InvalidArgument(field or "request", reason)
    if kind == "ValidationFailed":
        return errors.ValidationFailed(cause.message, [(field or "request", reason)])
    return _ERRORS.get(kind, errors.FailedPrecondition)(cause.message, field=field or None, reason=reason)


class CaseProcesses:
    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    async def start(self, case: ReopenCaseInput) -> None:
        """Start the case's workflow; starting it again (a retried request) is a no-op."""
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await self.client.start_workflow(
                ReopenCaseWorkflow.run,
                case,
                id=workflow_id(case.facts.case_id),
                task_queue=self.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                # Set at start, so opening a case needs no upsert (ops find it at once in the UI).
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(JOURNAL_ID, case.facts.journal_id),
                        SearchAttributePair(TEACHER_ID, case.facts.teacher_id),
                        SearchAttributePair(DEPARTMENT_ID, case.facts.department_id),
                        SearchAttributePair(FACULTY_ID, case.facts.faculty_id),
                        SearchAttributePair(STEP, "review"),
                        SearchAttributePair(OVERDUE, False),
                    ]
                ),
            )

    async def update(self, case_id: str, update: Any, request: Any) -> CaseView:
        handle = self.client.get_workflow_handle(workflow_id(case_id))
        try:
            view = await handle.execute_update(update, request, result_type=CaseView)
        except WorkflowUpdateFailedError as failure:
            raise domain_error(failure.cause) from None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise CaseEnded(error.message) from None
            raise
        assert isinstance(view, CaseView)
        return view

    async def status(self, case_id: str) -> str | None:
        """The case workflow's execution status ("RUNNING", "COMPLETED", "FAILED", ...), None if none."""
        try:
            described = await self.client.get_workflow_handle(workflow_id(case_id)).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return None
            raise
        return described.status.name if described.status is not None else None

    async def running_case_ids(self) -> list[str]:
        """Case ids of every running reopen workflow of this task queue (Temporal's visibility)."""
        query = (
            f'WorkflowType = "ReopenCase" AND ExecutionStatus = "Running" AND TaskQueue = "{self.task_queue}"'
        )
        return [w.id.removeprefix("reopen-") async for w in self.client.list_workflows(query)]

    async def view(self, case_id: str) -> CaseView:
        handle = self.client.get_workflow_handle(workflow_id(case_id))
        view = await handle.query(ReopenCaseWorkflow.view)
        assert isinstance(view, CaseView)
        return view
