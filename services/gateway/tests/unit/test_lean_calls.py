"""The gateway's lean calls (services/gateway/lean_calls.py) send what the instrumented channel's
interceptors sent, over a real socket: the request id and the caller's token, the incoming trace
context, the same key on every retry of a keyed write and no retry of an unkeyed one; while a span is
recorded they go through the instrumented channel, so the trace keeps its client span. And the HTTP
API without a tracer provider still carries an incoming trace on (trace_context.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider

from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.context import bind_request_id
from services.gateway.app import create_app
from services.gateway.clients import ServiceClients
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
UNAVAILABLE = grpc.StatusCode.UNAVAILABLE


class Recording(gpb_grpc.GradebookServiceServicer):
    """Answers WriteMarks after failing its first `failures` calls as UNAVAILABLE; keeps each call's
    metadata and key."""

    def __init__(self) -> None:
        self.failures = 0
        self.metadata: list[dict[str, str]] = []
        self.keys: list[str] = []

    async def WriteMarks(self, request: gpb.WriteMarksRequest, context: Any) -> gpb.WriteMarksResponse:
        self.metadata.append({m.key: m.value for m in context.invocation_metadata()})
        self.keys.append(request.idempotency_key)
        if len(self.keys) <= self.failures:
            await context.abort(UNAVAILABLE, "restarting")
        return gpb.WriteMarksResponse(
            cells=[gpb.MarkCell(column_id="c", student_id="s", value="5", version=2)]
        )


@pytest.fixture
async def served() -> AsyncIterator[tuple[Recording, ServiceClients]]:
    servicer = Recording()  # type: ignore[abstract]
    server = grpc.aio.server()
    gpb_grpc.add_GradebookServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    clients = ServiceClients({"gradebook": f"127.0.0.1:{port}"})
    yield servicer, clients
    await clients.close()
    await server.stop(0)


async def test_a_call_carries_the_request_id_the_token_and_the_incoming_trace(
    served: tuple[Recording, ServiceClients],
) -> None:
    servicer, clients = served
    bind_request_id("req-1")
    incoming = propagate.extract({"traceparent": TRACEPARENT})
    token = otel_context.attach(incoming)
    try:
        reply = await clients.stub("gradebook").WriteMarks(
            gpb.WriteMarksRequest(idempotency_key="k1"), metadata=(("authorization", "Bearer t"),)
        )
    finally:
        otel_context.detach(token)
    assert [cell.version for cell in reply.cells] == [2]
    sent = servicer.metadata[-1]
    assert sent["x-request-id"] == "req-1"
    assert sent["authorization"] == "Bearer t"
    assert sent["traceparent"] == TRACEPARENT


async def test_a_keyed_write_is_retried_with_the_same_key(served: tuple[Recording, ServiceClients]) -> None:
    servicer, clients = served
    servicer.failures = 2
    await clients.stub("gradebook").WriteMarks(gpb.WriteMarksRequest(idempotency_key="k1"))
    assert servicer.keys == ["k1", "k1", "k1"]


async def test_a_write_without_a_key_is_not_repeated(served: tuple[Recording, ServiceClients]) -> None:
    servicer, clients = served
    servicer.failures = 2
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await clients.stub("gradebook").WriteMarks(gpb.WriteMarksRequest())
    assert raised.value.code() == UNAVAILABLE
    assert servicer.keys == [""]


async def test_a_call_in_a_recorded_span_goes_through_the_instrumented_channel(
    served: tuple[Recording, ServiceClients],
) -> None:
    servicer, clients = served
    tracer = TracerProvider().get_tracer("test")  # recording spans, without a global provider
    with tracer.start_as_current_span("http") as span:
        await clients.stub("gradebook").WriteMarks(gpb.WriteMarksRequest(idempotency_key="k1"))
        parent = span.get_span_context()
    assert "gradebook" in clients._instrumented  # the call opened (and used) the instrumented channel
    # The instrumented channel's client interceptor sends this trace on (the API's tracer here makes a
    # non-recording client span of the same context).
    assert servicer.metadata[-1]["traceparent"].split("-")[1] == format(parent.trace_id, "032x")


async def test_an_incoming_traceparent_reaches_the_service_through_the_http_api(
    served: tuple[Recording, ServiceClients],
) -> None:
    """Without a tracer provider the gateway has no ASGI instrumentation (trace_context.py); the
    incoming trace context still goes on to the service the request is forwarded to."""
    servicer, clients = served
    app = create_app(gateway_settings(), clients)
    app.state.clients = clients
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as http:
        answer = await http.post(
            f"/api/v1/journals/{uuid.uuid4()}/marks",
            json={"cells": [{"column_id": str(uuid.uuid4()), "student_id": str(uuid.uuid4()), "value": "5"}]},
            headers={"Authorization": "Bearer t", "Idempotency-Key": "k1", "traceparent": TRACEPARENT},
        )
    assert answer.status_code == 200, answer.text
    assert servicer.metadata[-1]["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
