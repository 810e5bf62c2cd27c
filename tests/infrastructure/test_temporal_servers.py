"""The Temporal servers the workflow tests rely on really start, with our namespace and search
attributes, and the time-skipping server skips a two-day timer in well under a second of wall time."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from temporalio import workflow
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from deploy.local.servers import TemporalDevServer
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES

pytestmark = pytest.mark.integration


@workflow.defn(sandboxed=False)
class TwoDaySleeper:
    @workflow.run
    async def run(self) -> str:
        await workflow.sleep(timedelta(days=2))
        return "woke"


async def test_dev_server_has_the_namespace_and_search_attributes(temporal_dev: TemporalDevServer) -> None:
    client = await Client.connect(temporal_dev.address, namespace=NAMESPACE)
    reply = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=NAMESPACE)
    )
    assert set(SEARCH_ATTRIBUTES) <= set(reply.custom_attributes)


async def test_time_skipping_server_skips_a_two_day_timer(
    temporal_time_skipping: WorkflowEnvironment,
) -> None:
    env = temporal_time_skipping
    queue = f"q-{uuid.uuid4()}"
    async with Worker(
        env.client, task_queue=queue, workflows=[TwoDaySleeper], workflow_runner=UnsandboxedWorkflowRunner()
    ):
        started = time.monotonic()
        result = await env.client.execute_workflow(
            TwoDaySleeper.run, id=f"w-{uuid.uuid4()}", task_queue=queue
        )
    assert result == "woke"
    assert time.monotonic() - started < 10
