"""Issue 18: a workflow started inside a traced call continues that trace. The workflow service's
client (connect_temporal) carries the SDK's TracingInterceptor, which puts the caller's W3C context in
the workflow's start header, where the worker's side of the interceptor picks it up."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from temporalio import activity, workflow
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from deploy.local.servers import TemporalDevServer
from ejournal_platform.testing.tracing import recorded_spans
from services.workflow.adapters.temporal import connect_temporal
from services.workflow.settings import WorkflowSettings
from services.workflow.tests.integration.test_sdk_metrics import Hello

pytestmark = pytest.mark.integration
tracer = trace.get_tracer("test")  # the process's provider (recorded_spans installs it)

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


@activity.defn(name="tracing.greet")
async def greet(name: str) -> str:
    return f"hello {name}"


@workflow.defn(name="TracedGreeting", sandboxed=False)
class TracedGreeting:
    @workflow.run
    async def run(self, name: str) -> str:
        return str(await workflow.execute_activity(greet, name, start_to_close_timeout=timedelta(seconds=30)))


async def test_the_workflow_and_its_activities_are_spans_of_the_callers_trace(
    temporal_dev: TemporalDevServer,
) -> None:
    """The worker (built on the same client) records the workflow's run and each activity's run as
    spans of the trace that started it: a reopen step's activities join the request's trace."""
    with recorded_spans() as spans:
        client = await connect_temporal(WorkflowSettings(**UNUSED, temporal_address=temporal_dev.address))
        queue = f"traced-run-{uuid.uuid4().hex[:8]}"
        async with Worker(client, task_queue=queue, workflows=[TracedGreeting], activities=[greet],
                          workflow_runner=UnsandboxedWorkflowRunner()):  # fmt: skip
            with tracer.start_as_current_span("SubmitExplanation") as caller:
                result = await client.execute_workflow(
                    TracedGreeting.run, "dean", id=queue, task_queue=queue,
                    execution_timeout=timedelta(seconds=30),
                )  # fmt: skip
        assert result == "hello dean"
        finished = spans.get_finished_spans()
    trace_id = caller.get_span_context().trace_id
    names = {s.name for s in finished if s.context.trace_id == trace_id}
    wanted = {"StartWorkflow:TracedGreeting", "RunWorkflow:TracedGreeting",
              "StartActivity:tracing.greet", "RunActivity:tracing.greet"}  # fmt: skip
    assert wanted <= names, f"spans of the caller's trace: {sorted(names)}"
