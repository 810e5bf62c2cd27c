"""A caller's `traceparent` reaches the servicer's context and its log lines on a real grpc.aio server,
with OpenTelemetry's server interceptor (a tracer provider installed) and without it (none installed:
only `incoming_trace` carries the context on)."""

from __future__ import annotations

import io
import json

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as cpb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as cpb_grpc
from ejournal_platform import telemetry
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.grpc import server as server_module
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.incoming_trace import incoming_trace
from ejournal_platform.grpc.interceptors import ScopedInterceptor
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.logging import configure_logging, get_logger
from ejournal_platform.telemetry import current_traceparent

pytestmark = pytest.mark.unit
log = get_logger("test")

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"


class AnyToken:
    async def authenticate(self, token: str) -> Principal:
        return Principal(subject="aigerim", roles=(RoleGrant("student", "student", "aigerim"),), token=token)


class Seen(cpb_grpc.CurriculumServiceServicer):
    """Records the traceparent the call's context would store in an outbox row, and logs a line."""

    def __init__(self) -> None:
        self.traceparents: list[str | None] = []

    async def ListProfiles(
        self, request: cpb.ListProfilesRequest, context: object
    ) -> cpb.ListProfilesResponse:
        self.traceparents.append(current_traceparent())
        log.info("inside the call")
        return cpb.ListProfilesResponse()


async def call_with(
    monkeypatch: pytest.MonkeyPatch, traced: bool, metadata: tuple[tuple[str, str], ...]
) -> tuple[GrpcServer, Seen, list[dict[str, object]]]:
    # Whether a provider is installed is decided per process; the test picks each side itself.
    monkeypatch.setattr(server_module, "spans_recorded", lambda: traced)
    stream = io.StringIO()
    configure_logging("test", "INFO", "json", stream=stream)
    server = GrpcServer(AnyToken())
    seen = Seen()  # type: ignore[abstract]  # only ListProfiles is called
    server.add(
        cpb_grpc.add_CurriculumServiceServicer_to_server, seen, "ejournal.curriculum.v1.CurriculumService"
    )
    port = await server.start("127.0.0.1", 0)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            await cpb_grpc.CurriculumServiceStub(channel).ListProfiles(
                cpb.ListProfilesRequest(), metadata=(*bearer("t"), *metadata)
            )
    finally:
        await server.stop(0)
    logged = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return server, seen, logged


@pytest.fixture(params=[False, True], ids=["no provider", "provider"])
def traced(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


async def test_an_incoming_traceparent_reaches_the_call_and_its_log_lines(
    monkeypatch: pytest.MonkeyPatch, traced: bool
) -> None:
    _, seen, logged = await call_with(monkeypatch, traced, (("traceparent", TRACEPARENT),))
    (traceparent,) = seen.traceparents
    assert traceparent is not None and traceparent.split("-")[1] == TRACE_ID
    inside = next(line for line in logged if line["event"] == "inside the call")
    assert inside["trace_id"] == TRACE_ID
    rpc = next(line for line in logged if line["event"] == "rpc")
    assert rpc["trace_id"] == TRACE_ID  # the call's own log line joins the trace too


async def test_a_call_without_a_traceparent_has_none_unless_spans_are_recorded(
    monkeypatch: pytest.MonkeyPatch, traced: bool
) -> None:
    """Without a traceparent the call joins no trace, unless OpenTelemetry's interceptor is on the path
    and a recording provider is installed in this process (a service with tracing configured; in a
    test run, an earlier test's `recorded_spans`, since a process keeps its first provider): then the
    call is the root of a trace of its own, and its log lines carry that trace's id."""
    recording = telemetry.spans_recorded()  # the process's real provider, not the patched choice below
    _, seen, logged = await call_with(monkeypatch, traced, ())
    (traceparent,) = seen.traceparents
    inside = next(line for line in logged if line["event"] == "inside the call")
    if traced and recording:
        assert traceparent is not None and inside["trace_id"] == traceparent.split("-")[1] != TRACE_ID
    else:
        assert traceparent is None and "trace_id" not in inside


async def test_without_a_provider_no_opentelemetry_interceptor_is_on_the_call_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server_module, "spans_recorded", lambda: False)
    (lean,) = GrpcServer(AnyToken()).interceptors
    assert isinstance(lean, ScopedInterceptor) and lean._scopes[0] is incoming_trace
    monkeypatch.setattr(server_module, "spans_recorded", lambda: True)
    tracing, scoped = GrpcServer(AnyToken()).interceptors
    assert not isinstance(tracing, ScopedInterceptor)  # OpenTelemetry's, outermost
    assert isinstance(scoped, ScopedInterceptor) and incoming_trace not in scoped._scopes
