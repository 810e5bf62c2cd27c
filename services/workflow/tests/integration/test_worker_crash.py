"""A worker killed in the middle of the reopen activity: another worker resumes the case and the
teacher gets exactly one grant (the activity is retried with the same case id; GrantReopen is
idempotent by case id at the gradebook). The gradebook here is a real gRPC server that verifies the
caller is the workflow's service identity, creates the grant, and then never answers the first call,
as if the worker died before the answer arrived."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from temporalio.client import Client

from deploy.local.servers import TemporalDevServer
from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.context import current_principal
from ejournal_platform.errors import PermissionDenied
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.testing.tokens import TestTokens
from services.workflow.adapters.case_store import row_values
from services.workflow.adapters.tables import reopen_cases
from services.workflow.domain.reopen_case import ReopenCase
from services.workflow.processes.reopen.messages import (
    DecisionRequest,
    ReopenCaseInput,
    ReopenRequest,
    VisaRequest,
    workflow_id,
)
from services.workflow.processes.reopen.views import view_of
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.search_attributes import NAMESPACE
from services.workflow.tests.support import People, explanation, facts, terms

pytestmark = pytest.mark.integration


class Gradebook(gpb_grpc.GradebookServiceServicer):
    def __init__(self) -> None:
        self.grants: dict[str, str] = {}
        self.calls: list[str] = []
        self.first_call_arrived = asyncio.Event()

    async def GrantReopen(self, request: gpb.GrantReopenRequest, context: Any) -> gpb.GrantReopenResponse:
        principal = current_principal()
        if (
            principal is None
            or not principal.is_service
            or "service" not in {g.role for g in principal.roles}
        ):
            raise PermissionDenied("only the workflow service identity grants reopens")
        self.calls.append(request.case_id)
        already = request.case_id in self.grants
        grant_id = self.grants.setdefault(request.case_id, f"grant-{uuid.uuid4().hex[:8]}")
        if len(self.calls) == 1:
            self.first_call_arrived.set()
            await asyncio.Event().wait()  # the grant exists; the answer never comes
        return gpb.GrantReopenResponse(grant_id=grant_id, already_granted=already)


@contextmanager
def worker_process(env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "services.workflow.tests.worker_process"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.rule("KZ-13")
async def test_killed_worker_resumes_the_reopen_without_a_second_grant(
    databases: Any, temporal_dev: TemporalDevServer
) -> None:
    keys = TestTokens()
    gradebook = Gradebook()  # type: ignore[abstract]  # only GrantReopen is served
    server = GrpcServer(keys.verifier_authenticator())
    server.add(
        gpb_grpc.add_GradebookServiceServicer_to_server, gradebook, "ejournal.gradebook.v1.GradebookService"
    )
    port = await server.start("127.0.0.1", 0)
    database = databases.fresh("workflow")
    env = {
        "WORKER_TEMPORAL": temporal_dev.address,
        "WORKER_QUEUE": f"crash-{uuid.uuid4().hex[:8]}",
        "WORKER_DATABASE_URL": database,
        "WORKER_GRADEBOOK": f"127.0.0.1:{port}",
        "WORKER_TOKEN": keys.token("service:workflow", ("service", "university", "*")),
    }
    client = await Client.connect(temporal_dev.address, namespace=NAMESPACE)
    p = People()
    case = ReopenCaseInput(
        facts(p, closed_at=datetime.now(UTC)), explanation(), terms(), activity_timeout_seconds=3
    )
    # The projection row SubmitExplanation inserts before it starts the workflow.
    view = view_of(
        ReopenCase.receive(case.facts, case.explanation, case.terms, datetime.now(UTC)), datetime.now(UTC)
    )
    sync = create_engine(database)
    with sync.begin() as conn:
        conn.execute(
            reopen_cases.insert().values(
                case_id=case.facts.case_id,
                workflow_id=workflow_id(case.facts.case_id),
                submitted_by=p.teacher.person_id,
                request_id="r",
                **row_values(view),
            )
        )

    try:
        with worker_process(env) as first:
            handle = await client.start_workflow(
                ReopenCaseWorkflow.run,
                case,
                id=workflow_id(case.facts.case_id),
                task_queue=env["WORKER_QUEUE"],
            )
            for actor, role in (
                (p.department_head, "department_head"),
                (p.dean_curation, "dean_curation"),
                (p.dean, "dean"),
            ):
                await handle.execute_update(ReopenCaseWorkflow.add_visa, VisaRequest(actor, role, True))
            await handle.execute_update(ReopenCaseWorkflow.decide, DecisionRequest(p.dean, True, "№ 1"))
            reopening = asyncio.create_task(
                handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(p.registrar))
            )
            await asyncio.wait_for(gradebook.first_call_arrived.wait(), 30)
            first.kill()  # in the middle of the grant activity
        assert not reopening.done()

        with worker_process(env):
            view = await asyncio.wait_for(reopening, 60)
        assert view.step == "correcting"
        assert gradebook.calls == [case.facts.case_id, case.facts.case_id]  # the activity ran twice...
        assert list(gradebook.grants) == [case.facts.case_id]  # ...and made one grant,
        assert view.grant_id == gradebook.grants[case.facts.case_id]  # the one the case records
        with sync.connect() as conn:
            actions = [
                r.action
                for r in conn.execute(
                    text("SELECT action FROM reopen_case_history WHERE case_id = :c ORDER BY seq"),
                    {"c": case.facts.case_id},
                )
            ]
            assert actions.count("reopened") == 1 and actions[-1] == "reopened"
            step = conn.execute(
                text("SELECT step FROM reopen_cases WHERE case_id = :c"), {"c": case.facts.case_id}
            ).scalar()
            assert step == "correcting"
    finally:
        sync.dispose()
        await server.stop(grace=0)
