"""The reopen cases' reconciler: a case row and its workflow must exist together.

SubmitExplanation commits the row first and starts the workflow after; if the start fails (Temporal
down, the process killed in between) the row waits with nobody driving it. A database restored from
a backup may lack rows of running workflows. The reconciler finds both and repairs them idempotently:
  - an open row without a workflow: the workflow is started from the row (as SubmitExplanation would);
  - a running workflow without a row: the row and its history are rebuilt from the workflow's view;
  - an open row whose workflow has ended without recording its end: reported for an operator (the
    workflow's id may not be reused, and guessing how the case ended would falsify the record).
It runs on a Temporal schedule (reconcile/) and as an operator command (entrypoints/reconcile.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ejournal_platform.db import UnitOfWork
from ejournal_platform.logging import get_logger
from services.workflow.adapters import case_store
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.service_layer.reopen_cases import case_input

log = get_logger(__name__)

# A row younger than this may belong to a SubmitExplanation that is starting its workflow right now.
GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class ReconcileReport:
    started: tuple[str, ...] = ()  # case rows without a workflow: workflow started
    restored: tuple[str, ...] = ()  # running workflows without a row: row rebuilt
    needs_operator: tuple[str, ...] = ()  # open rows whose workflow ended: "case_id: STATUS"
    cases_checked: int = 0
    workflows_checked: int = 0


class CaseReconciler:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        processes: CaseProcesses,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        activity_timeout_seconds: float = 30.0,
        grace: timedelta = GRACE,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._processes = processes
        self._clock = clock
        self._activity_timeout = activity_timeout_seconds
        self._grace = grace

    async def run(self) -> ReconcileReport:
        started, stuck, checked = await self._start_missing_workflows()
        restored, running = await self._restore_missing_rows()
        report = ReconcileReport(tuple(started), tuple(restored), tuple(stuck), checked, running)
        log.info("reopen cases reconciled", **report.__dict__)
        return report

    async def _start_missing_workflows(self) -> tuple[list[str], list[str], int]:
        async with self._unit_of_work() as uow:
            views = await case_store.open_cases_before(uow.session, self._clock() - self._grace)
        started: list[str] = []
        stuck: list[str] = []
        for view in views:
            case_id = view.facts.case_id
            status = await self._processes.status(case_id)
            if status is None:
                await self._processes.start(case_input(view, self._activity_timeout))
                started.append(case_id)
            elif status != "RUNNING":
                stuck.append(f"{case_id}: {status}")
        return started, stuck, len(views)

    async def _restore_missing_rows(self) -> tuple[list[str], int]:
        running = await self._processes.running_case_ids()
        async with self._unit_of_work() as uow:
            missing = await case_store.missing_cases(uow.session, running)
        restored: list[str] = []
        for case_id in missing:
            view = await self._processes.view(case_id)
            async with self._unit_of_work() as uow:
                if await case_store.restore_case(uow.session, view):
                    restored.append(case_id)
                await uow.commit()
        return restored, len(running)
