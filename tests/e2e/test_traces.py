"""Issue 18: one mark's save through the HTTP API is one trace, from the gateway through the gradebook's
gRPC call, its SQL and its outbox row, the relay's NATS publish, down to the reporting projection's
consumer; each part runs as its own process (the real launcher) and exports its spans over OTLP/HTTP
to a small collector in this test."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from bench.recovery import VALUES, empty_cells, signed_in
from tests.stack import STACK_TIMEOUT, launch, stack_environment, wait_for_line

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP (protobuf) trace receiver keeping every span it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receive)
        self.spans: list[ReceivedSpan] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def snapshot(self) -> list[ReceivedSpan]:
        with self.lock:
            return list(self.spans)


def _value(any_value: Any) -> Any:
    return getattr(any_value, any_value.WhichOneof("value")) if any_value.WhichOneof("value") else None


class _Receive(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        spans = []
        for resource_spans in request.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                spans += [
                    ReceivedSpan(
                        service=str(resource.get("service.name", "")),
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        attributes={a.key: _value(a.value) for a in span.attributes},
                    )
                    for span in scope_spans.spans
                ]
        with self.server.lock:
            self.server.spans += spans
        body = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def traced_stack(collector: Collector, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A stack of its own whose every process exports its spans to the collector."""
    home: Path = tmp_path_factory.mktemp("traced") / "home"
    env = stack_environment(home) | {"EJOURNAL_OTLP_ENDPOINT": collector.endpoint}
    process: subprocess.Popen[str] = launch(env)
    try:
        wait_for_line(process, "ejournal is up", timeout=STACK_TIMEOUT)
        yield env
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(300)


@pytest.mark.timeout(900)
def test_one_http_save_is_one_trace_down_to_the_reporting_consumer(
    traced_stack: dict[str, str], collector: Collector
) -> None:
    http = signed_in(f"http://127.0.0.1:{traced_stack['EJOURNAL_GATEWAY_PORT']}")
    journal_id, cells = empty_cells(http)
    column_id, student_id = cells[0]
    request_id = uuid.uuid4().hex
    reply = http.post(
        f"/api/v1/journals/{journal_id}/marks",
        json={"cells": [{"column_id": column_id, "student_id": student_id, "value": VALUES[0]}]},
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-Request-Id": request_id},
    )
    assert reply.status_code == 200, reply.text

    def of_the_save() -> tuple[set[str], list[ReceivedSpan], list[ReceivedSpan]]:
        spans = collector.snapshot()
        traces = {s.trace_id for s in spans if s.attributes.get("ejournal.request_id") == request_id}
        in_trace = [s for s in spans if s.trace_id in traces]
        reached = [s for s in in_trace if s.service == "ejournal-reporting" and s.name.startswith("consume ")]
        return traces, in_trace, reached

    deadline = time.monotonic() + 120
    while not of_the_save()[2] and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(3)  # the processes export in batches every 0.5 s: let the last ones arrive
    traces, in_trace, reached = of_the_save()
    assert len(traces) == 1, f"the save's request id names {len(traces)} traces"
    services = {s.service for s in in_trace}
    names = {(s.service, s.name) for s in in_trace}
    assert reached, f"no reporting consumer span in the save's trace; it has {sorted(names)}"
    assert {"ejournal-gateway", "ejournal-gradebook", "ejournal-reporting"} <= services
    assert any(s.service == "ejournal-gateway" and "marks" in s.name for s in in_trace), names
    assert any(s.service == "ejournal-gradebook" and s.name.startswith("publish ") for s in in_trace), names
    # Every span of the trace hangs from another span of it, except the gateway's root.
    ids = {s.span_id for s in in_trace}
    roots = [s for s in in_trace if s.parent_span_id == "" or s.parent_span_id not in ids]
    assert [(r.service, r.name) for r in roots if r.service != "ejournal-gateway"] == []
