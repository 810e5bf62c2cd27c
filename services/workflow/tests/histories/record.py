"""Record the stored histories the replay tests run (`python -m services.workflow.tests.histories.record`).

Runs every process through its typical paths on a private time-skipping server with activity doubles
and writes each history as JSON next to this file. Re-record only on purpose: the point of the stored
histories is that a change of workflow code which would break cases already running fails the replay
test. When a change must alter the commands a workflow issues, guard it with `workflow.patched(...)`
and add a new history beside the old ones, never replace them.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.entrypoints.worker import WORKFLOWS
from services.workflow.processes.closing.messages import ClosingInput, MoveDeadlineRequest
from services.workflow.processes.closing.workflows import ClosingDeadlineWorkflow
from services.workflow.processes.monitoring.messages import DailyCheckInput, WeeklyCheckInput
from services.workflow.processes.monitoring.workflows import (
    DailyFillCheckWorkflow,
    WeeklyJournalCheckWorkflow,
)
from services.workflow.processes.reconcile.messages import ReconcileInput
from services.workflow.processes.reconcile.workflows import ReconcileCasesWorkflow
from services.workflow.processes.reopen.messages import (
    CorrectionRequest,
    DecisionRequest,
    ReopenRequest,
    VisaRequest,
    WithdrawRequest,
)
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.processes.statements.messages import StatementDeadlineInput
from services.workflow.processes.statements.workflows import StatementDeadlineWorkflow
from services.workflow.search_attributes import SEARCH_ATTRIBUTES
from services.workflow.tests.doubles import (
    FakeGradebook,
    ReopenDoubles,
    closing_doubles,
    monitoring_doubles,
    reconcile_doubles,
    statement_doubles,
)
from services.workflow.tests.support import People, case_input

HERE = Path(__file__).parent
QUEUE = "record-histories"
KINDS = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
}


async def visas(handle: WorkflowHandle[Any, Any], p: People) -> None:
    for actor, role in (
        (p.department_head, "department_head"),
        (p.dean_curation, "dean_curation"),
        (p.dean, "dean"),
    ):
        await handle.execute_update(ReopenCaseWorkflow.add_visa, VisaRequest(actor, role, True, "келісемін"))


async def start_case(env: WorkflowEnvironment, p: People, **kwargs: Any) -> WorkflowHandle[Any, Any]:
    case = case_input(p, **kwargs)
    return await env.client.start_workflow(
        ReopenCaseWorkflow.run, case, id=f"reopen-{case.facts.case_id}", task_queue=QUEUE
    )


async def reopen_completed(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    p = People("completed")
    handle = await start_case(env, p)
    await env.sleep(timedelta(days=1))
    await visas(handle, p)
    await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, True, "№ 7"))
    await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(p.registrar))
    await env.sleep(timedelta(days=1))
    await handle.execute_update(
        ReopenCaseWorkflow.submit_correction, CorrectionRequest(p.teacher, "түзетілді")
    )
    return handle


async def reopen_submitted_through_the_service(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    """As SubmitExplanation starts it: the receipt already recorded, then the whole procedure."""
    p = People("service")
    handle = await start_case(env, p, recorded_up_to=1)
    await visas(handle, p)
    await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, True, "№ 10"))
    await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(p.registrar))
    await handle.execute_update(ReopenCaseWorkflow.submit_correction, CorrectionRequest(p.teacher))
    return handle


async def reopen_started_by_the_service(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    """Started exactly as CaseProcesses.start does (search attributes at start), then escalated and
    completed late: the path of cases since ONLY_CHANGED_ATTRIBUTES."""
    p = People("started")
    case = case_input(p, recorded_up_to=1)
    await CaseProcesses(env.client, QUEUE).start(case)
    handle = env.client.get_workflow_handle(f"reopen-{case.facts.case_id}")
    await env.sleep(timedelta(days=2, hours=1))
    await visas(handle, p)
    await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, True, "№ 11"))
    await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(p.registrar))
    await env.sleep(timedelta(days=3))
    return handle


async def reopen_escalated_then_rejected(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    p = People("escalated")
    handle = await start_case(env, p)
    await env.sleep(timedelta(days=3))
    await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, False, "№ 8", "себепсіз"))
    return handle


async def reopen_correction_overdue(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    p = People("overdue")
    handle = await start_case(env, p)
    await visas(handle, p)
    await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, True, "№ 9"))
    await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(p.registrar_head))
    await env.sleep(timedelta(days=3))
    return handle


async def reopen_withdrawn(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    p = People("withdrawn")
    handle = await start_case(env, p)
    await handle.execute_update(
        ReopenCaseWorkflow.add_visa, VisaRequest(p.department_head, "department_head", True)
    )
    await handle.execute_update(ReopenCaseWorkflow.withdraw, WithdrawRequest(p.teacher, "қате жоқ"))
    return handle


async def reopen_visa_refused(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    p = People("refused")
    handle = await start_case(env, p)
    await handle.execute_update(
        ReopenCaseWorkflow.add_visa, VisaRequest(p.department_head, "department_head", False, "негізсіз")
    )
    return handle


async def closing_moved(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    now = await env.get_current_time()
    deadline = now + timedelta(days=4)
    handle = await env.client.start_workflow(
        ClosingDeadlineWorkflow.run,
        ClosingInput(
            "cev-moved",
            "midterm",
            "cu",
            "g",
            "",
            (now + timedelta(days=1)).date().isoformat(),
            deadline,
            "dep",
            "fac",
            "kz-medical",
            1,
        ),
        id="closing-cev-moved",
        task_queue=QUEUE,
    )
    await env.sleep(timedelta(days=2, hours=12))
    await handle.execute_update(
        ClosingDeadlineWorkflow.move_deadline,
        MoveDeadlineRequest(deadline + timedelta(days=2), 2, "registrar", "бұйрық № 77"),
    )
    await env.sleep(timedelta(days=4))
    return handle


async def statement_deadline(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    now = await env.get_current_time()
    return await env.client.start_workflow(
        StatementDeadlineWorkflow.run,
        StatementDeadlineInput(
            "cev-final",
            "intermediate_attestation",
            "cu",
            (now + timedelta(days=1)).date().isoformat(),
            now + timedelta(days=4),
            "dep",
            "fac",
            "kz-medical",
            1,
        ),
        id="statement-deadline-cev-final",
        task_queue=QUEUE,
    )


async def daily_fill_check(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    handle = await env.client.start_workflow(
        DailyFillCheckWorkflow.run, DailyCheckInput("kz-medical"), id="daily-fill-check", task_queue=QUEUE
    )
    await handle.result()
    return handle


async def weekly_journal_check(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    handle = await env.client.start_workflow(
        WeeklyJournalCheckWorkflow.run,
        WeeklyCheckInput("kg-jasu"),
        id="weekly-journal-check",
        task_queue=QUEUE,
    )
    await handle.result()
    return handle


async def reconcile_cases(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    return await env.client.start_workflow(
        ReconcileCasesWorkflow.run, ReconcileInput(), id="reconcile-reopen-cases", task_queue=QUEUE
    )


SCENARIOS: dict[str, Callable[[WorkflowEnvironment], Awaitable[WorkflowHandle[Any, Any]]]] = {
    "reopen_completed": reopen_completed,
    "reopen_submitted_through_the_service": reopen_submitted_through_the_service,
    "reopen_started_by_the_service": reopen_started_by_the_service,
    "reopen_escalated_then_rejected": reopen_escalated_then_rejected,
    "reopen_correction_overdue": reopen_correction_overdue,
    "reopen_withdrawn": reopen_withdrawn,
    "reopen_visa_refused": reopen_visa_refused,
    "closing_moved": closing_moved,
    "statement_deadline": statement_deadline,
    "daily_fill_check": daily_fill_check,
    "weekly_journal_check": weekly_journal_check,
    "reconcile_cases": reconcile_cases,
}


async def record(names: list[str]) -> None:
    path = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=path)
    client: Client = env.client
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={name: KINDS[kind] for name, kind in SEARCH_ATTRIBUTES.items()},
        )
    )
    gradebook = FakeGradebook()
    activities = [*ReopenDoubles(gradebook).activities(), *closing_doubles(gradebook), *monitoring_doubles()]
    activities += statement_doubles() + reconcile_doubles()
    try:
        async with Worker(client, task_queue=QUEUE, workflows=WORKFLOWS, activities=activities):
            for name in names or list(SCENARIOS):
                handle = await SCENARIOS[name](env)
                await handle.result()
                history = await handle.fetch_history()
                (HERE / f"{name}.json").write_text(history.to_json(), encoding="utf-8")
                print(f"recorded {name}: {len(history.events)} events at {datetime.now(UTC):%H:%M:%S}")
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(record(sys.argv[1:]))
