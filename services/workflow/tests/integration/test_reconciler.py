"""The reopen cases' reconciler on the Temporal dev server with the real service, worker and database:
a case whose workflow failed to start is started and then proceeds; a running workflow whose row was
lost gets its row back; a second run finds nothing to do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import grpc
import pytest
from temporalio.client import Client

from deploy.local.servers import TemporalDevServer
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.workflow.adapters import tables
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.processes.reopen.messages import ReopenCaseInput
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.reconciler import ReconcileCases, ReconcileReport, reconcile_cases
from services.workflow.tests.harness import Harness, running_service

pytestmark = pytest.mark.integration


class StartFails(CaseProcesses):
    """Temporal refuses the start (as when it is unreachable) until the test lets it through."""

    failing = True

    async def start(self, case: ReopenCaseInput) -> None:
        if self.failing:
            raise ConnectionError("temporal unreachable (injected)")
        await super().start(case)


@pytest.fixture
async def service(databases: Any, temporal_dev: TemporalDevServer) -> AsyncIterator[Harness]:
    async with running_service(databases.fresh("workflow"), temporal_dev.address, processes=StartFails) as h:
        yield h


async def reconcile(h: Harness) -> ReconcileReport:
    deps = Deps(
        lambda: UnitOfWork(h.sessions, OutboxWriter(tables.outbox)),
        h.gradebook,
        CaseProcesses(h.client, h.queue),
    )
    return await reconcile_cases(deps, ReconcileCases(grace=timedelta(0)))


async def test_a_case_whose_start_failed_is_started_by_the_reconciler_and_proceeds(service: Harness) -> None:
    h = service
    with pytest.raises(grpc.aio.AioRpcError):
        await h.submit("sec-reconcile")
    case_id = str(await h.scalar("SELECT case_id FROM reopen_cases"))
    assert await CaseProcesses(h.client, h.queue).status(case_id) is None  # the row waits, nobody drives it

    report = await reconcile(h)
    assert report.started == (case_id,) and report.restored == () and report.needs_operator == ()
    assert await CaseProcesses(h.client, h.queue).status(case_id) == "RUNNING"
    # The case proceeds: the department head's visa goes through the running workflow.
    reply = await h.stub.AddVisa(
        pb.AddVisaRequest(case_id=case_id, role="department_head", approve=True),
        metadata=h.auth(h.people.department_head),
    )
    assert [v.role for v in reply.case.visas] == ["department_head"]

    again = await reconcile(h)  # idempotent: nothing left to do
    assert (again.started, again.restored, again.needs_operator, again.cases_checked) == ((), (), (), 1)


async def test_a_running_workflow_whose_row_was_lost_gets_its_row_and_history_back(service: Harness) -> None:
    h = service
    with pytest.raises(grpc.aio.AioRpcError):
        await h.submit("sec-lost-row")
    case_id = str(await h.scalar("SELECT case_id FROM reopen_cases"))
    assert (await reconcile(h)).started == (case_id,)
    before = await h.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=h.auth(h.people.registrar))
    async with h.sessions() as session, session.begin():  # as after a restore from an older backup
        await session.execute(tables.reopen_case_history.delete())
        await session.execute(tables.reopen_cases.delete())

    report = await restored_once_visible(h, case_id)
    assert report.restored == (case_id,) and report.started == ()
    after = await h.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=h.auth(h.people.registrar))
    assert after.case.step == before.case.step
    assert [e.action for e in after.case.history] == [e.action for e in before.case.history]
    assert (await reconcile(h)).restored == ()


async def restored_once_visible(h: Harness, case_id: str) -> ReconcileReport:
    """Temporal's visibility lists a new workflow a moment after its start: ask until it does (bounded)."""
    client: Client = h.client
    for _ in range(100):
        if [w async for w in client.list_workflows(f'WorkflowId = "reopen-{case_id}"')]:
            break
    return await reconcile(h)
