"""What the workflow's use cases run over: a unit of work per transaction, the gradebook's port, the
Temporal client of the reopen cases, the clock. The RPC use cases are `(deps, principal, cmd)`; the
process use cases (what the activities run) are `(deps, cmd)`: the service acts on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ejournal_platform.db import UnitOfWork
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.gradebook import GradebookPort


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    unit_of_work: Callable[[], UnitOfWork]
    gradebook: GradebookPort
    # Starts, updates and reads the reopen cases' workflows (SubmitExplanation and the human steps).
    processes: CaseProcesses | None = None
    clock: Callable[[], datetime] = utc_now
    activity_timeout_seconds: float = 30.0

    @property
    def cases(self) -> CaseProcesses:
        if self.processes is None:
            raise RuntimeError("these use cases were wired without the reopen cases' Temporal client")
        return self.processes
