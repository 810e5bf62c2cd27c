"""Issue 18: the workflow service's Temporal client (connect_temporal, as the service connects) serves
the SDK's own metrics for Prometheus at the configured address; they move with the calls made, and a
worker running a workflow emits every temporal_* metric the dashboards and alert rules query."""

from __future__ import annotations

import asyncio
import urllib.request
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from temporalio import workflow
from temporalio.service import RPCError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from deploy.local.servers import TemporalDevServer, free_port
from ejournal_platform.health import Report, State
from ejournal_platform.probes import ProbeServer, loopback_exporter
from services.workflow.adapters.temporal import connect_temporal
from services.workflow.settings import WorkflowSettings
from tests.infrastructure.test_observability_files import metric_names_used

pytestmark = pytest.mark.integration

# Required settings this test never uses (only the Temporal client is built).
UNUSED: dict[str, Any] = {"database_url": "postgresql+psycopg://unused@127.0.0.1:1/unused", "nats_url": "nats://127.0.0.1:1",
          "identity_address": "127.0.0.1:1", "gradebook_address": "127.0.0.1:1"}  # fmt: skip


@workflow.defn(sandboxed=False)
class Hello:
    @workflow.run
    async def run(self) -> str:
        return "hello"


def scrape(address: str) -> dict[str, float]:
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    totals: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            totals[sample.name] = totals.get(sample.name, 0.0) + sample.value
    return totals


async def test_the_sdk_metrics_are_served_and_count_the_client_calls(temporal_dev: TemporalDevServer) -> None:
    address = f"127.0.0.1:{free_port()}"
    settings = WorkflowSettings(
        **UNUSED, temporal_address=temporal_dev.address, temporal_metrics_address=address
    )
    client = await connect_temporal(settings)
    before = await asyncio.to_thread(scrape, address)
    for _ in range(3):
        await client.count_workflows()
    after = await asyncio.to_thread(scrape, address)
    assert after.get("temporal_request_total", 0) - before.get("temporal_request_total", 0) >= 3

    queue = f"metrics-{uuid.uuid4().hex[:8]}"
    async with Worker(
        client, task_queue=queue, workflows=[Hello], workflow_runner=UnsandboxedWorkflowRunner()
    ):
        result = await client.execute_workflow(
            Hello.run, id=queue, task_queue=queue, execution_timeout=timedelta(seconds=30)
        )
    assert result == "hello"
    with pytest.raises(RPCError):  # a failed request, counted as one
        await client.get_workflow_handle(f"missing-{queue}").describe()
    served = set(await asyncio.to_thread(scrape, address))
    wanted = {name for name in metric_names_used() if name.startswith("temporal_")}
    assert wanted, "the dashboards query some Temporal metrics"
    assert wanted <= served, f"queried but never served by the SDK: {sorted(wanted - served)}"


async def test_the_sdk_metrics_reach_prometheus_only_through_the_services_token(
    temporal_dev: TemporalDevServer,
) -> None:
    """The SDK's exporter has no token, so it listens on loopback only and the service's own /metrics
    (its probe port, behind the metrics token) carries its text: one scrape, one token."""
    sdk = f"127.0.0.1:{free_port()}"
    settings = WorkflowSettings(**UNUSED, temporal_address=temporal_dev.address, temporal_metrics_address=sdk)
    client = await connect_temporal(settings)
    await client.count_workflows()
    probes = ProbeServer(lambda: Report(State.OK), "the-token", loopback_exporter(sdk))
    port = await probes.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            scraped = await http.get("/metrics", headers={"Authorization": "Bearer the-token"})
            assert scraped.status_code == 200
            names = {s.name for f in text_string_to_metric_families(scraped.text) for s in f.samples}
            assert "temporal_request_total" in names and "ejournal_outbox_backlog" in names
            for headers in ({}, {"Authorization": "Bearer wrong"}):
                assert (await http.get("/metrics", headers=headers)).status_code == 404
    finally:
        await probes.stop()
    # An exporter that does not answer leaves the rest of the scrape intact.
    gone = await loopback_exporter(f"127.0.0.1:{free_port()}", timeout=1)()
    assert gone.startswith(b"# the exporter at 127.0.0.1:")
    # Anything but loopback is refused: the SDK would serve its metrics to anyone who reaches it.
    for address in ("0.0.0.0:9464", "10.0.0.7:9464", "workflow:9464"):
        with pytest.raises(ValidationError, match="TEMPORAL_METRICS_ADDRESS"):
            WorkflowSettings(**UNUSED, temporal_address="x:7233", temporal_metrics_address=address)
