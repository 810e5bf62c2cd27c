"""Issue 18: a workflow started inside a traced call continues that trace. The workflow service's
client (connect_temporal) carries the SDK's TracingInterceptor, which puts the caller's W3C context in
the workflow's start header, where the worker's side of the interceptor picks it up."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from deploy.local.servers import TemporalDevServer
from services.workflow.settings import WorkflowSettings
from services.workflow.tests.integration.test_sdk_metrics import Hello
from services.workflow.worker import connect_temporal

pytestmark = pytest.mark.integration

# Required settings this test never uses (only the Temporal client is built).
UNUSED: dict[str, Any] = {"database_url": "postgresql+psycopg://unused@127.0.0.1:1/unused", "nats_url": "nats://127.0.0.1:1",
          "identity_address": "127.0.0.1:1", "gradebook_address": "127.0.0.1:1"}  # fmt: skip


async def test_the_start_header_carries_the_callers_trace(temporal_dev: TemporalDevServer) -> None:
    client = await connect_temporal(WorkflowSettings(**UNUSED, temporal_address=temporal_dev.address))
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    tracer = TracerProvider().get_tracer("test")  # the caller's span: a gRPC call being served
    with tracer.start_as_current_span("StartReopenCase") as span:
        handle = await client.start_workflow(
            Hello.run, id=queue, task_queue=queue, execution_timeout=timedelta(seconds=30)
        )
    async for event in handle.fetch_history_events():
        header = event.workflow_execution_started_event_attributes.header
        break
    carrier = json.loads(header.fields["_tracer-data"].data)
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert carrier["traceparent"].split("-")[1] == trace_id
    await handle.terminate("test over")
