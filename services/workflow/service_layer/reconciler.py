"""The reopen cases' reconciler: a case row and its workflow must exist together.

SubmitExplanation commits the row first and starts the workflow after; if the start fails (Temporal
down, the process killed in between) the row waits with nobody driving it. A database restored from
a backup may lack rows of running workflows. The reconciler finds both and repairs them idempotently:
  - an open row without a workflow: the workflow is started from the row (as SubmitExplanation would);
  - a running workflow without a row: the row and its history are rebuilt from the workflow's view;
  - an open row whose workflow has ended without recording its end: reported for an operator (the
    workflow's id may not be reused, and guessing how the case ended would falsify the record).
It runs on a Temporal schedule (reconcile/) and as an operator command (entrypoints/reconcile.py).
A process use case like the activities' ones: `(deps, cmd)`, the service acting on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ejournal_platform.logging import get_logger
from services.workflow.adapters import case_store
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.reopen_cases import case_input

log = get_logger(__name__)

# A row younger than this may belong to a SubmitExplanation that is starting its workflow right now.
GRACE = timedelta(minutes=2)


@dataclass(frozen=True, kw_only=True)
class ReconcileCases:
    grace: timedelta = GRACE


@dataclass(frozen=True)
class ReconcileReport:
    started: tuple[str, ...] = ()  # case rows without a workflow: workflow started
    restored: tuple[str, ...] = ()  # running workflows without a row: row rebuilt
    needs_operator: tuple[str, ...] = ()  # open rows whose workflow ended: "case_id: STATUS"
    cases_checked: int = 0
    workflows_checked: int = 0


async def reconcile_cases(deps: Deps, cmd: ReconcileCases) -> ReconcileReport:
    started, stuck, checked = await _start_missing_workflows(deps, cmd.grace)
    restored, running = await _restore_missing_rows(deps)
    report = ReconcileReport(tuple(started), tuple(restored), tuple(stuck), checked, running)
    log.info("reopen cases reconciled", **report.__dict__)
    return report


async def _start_missing_workflows(deps: Deps, grace: timedelta) -> tuple[list[str], list[str], int]:
    async with deps.unit_of_work() as uow:
        views = await case_store.open_cases_before(uow.session, deps.clock() - grace)
    started: list[str] = []
    stuck: list[str] = []
    for view in views:
        case_id = view.facts.case_id
        status = await deps.cases.status(case_id)
        if status is None:
            await deps.cases.start(case_input(view, deps.activity_timeout_seconds))
            started.append(case_id)
        elif status != "RUNNING":
            stuck.append(f"{case_id}: {status}")
    return started, stuck, len(views)


async def _restore_missing_rows(deps: Deps) -> tuple[list[str], int]:
    running = await deps.cases.running_case_ids()
    async with deps.unit_of_work() as uow:
        missing = await case_store.missing_cases(uow.session, running)
    restored: list[str] = []
    for case_id in missing:
        view = await deps.cases.view(case_id)
        async with deps.unit_of_work() as uow:
            if await case_store.restore_case(uow.session, view):
                restored.append(case_id)
            await uow.commit()
    return restored, len(running)
