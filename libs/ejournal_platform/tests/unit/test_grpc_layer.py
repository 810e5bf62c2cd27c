"""The shared interceptors on a real in-process grpc.aio server: request ids travel across a nested
call and reach the JSON log lines; domain errors become statuses naming the field; calls without a
valid token are refused."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as cpb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as cpb_grpc
from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.context import Principal, RoleGrant, current_principal
from ejournal_platform.errors import InvalidArgument, Unauthenticated
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.grpc.status import error_info, field_violations
from ejournal_platform.logging import configure_logging, get_logger

pytestmark = pytest.mark.unit
log = get_logger("test")


class TokenIsName:
    """A stand-in authenticator: the token "good-<name>" is person <name>, a student (a person holding
    no role at all is refused before any servicer runs: test_a_caller_without_a_role_is_refused_first)."""

    async def authenticate(self, token: str) -> Principal:
        if not token.startswith("good-"):
            raise Unauthenticated("token is not valid", field="authorization")
        name = token.removeprefix("good-")
        if name == "roleless":
            return Principal(subject=name, token=token)
        return Principal(subject=name, roles=(RoleGrant("student", "student", name),), token=token)


class Inner(cpb_grpc.CurriculumServiceServicer):
    async def ListProfiles(
        self, request: cpb.ListProfilesRequest, context: object
    ) -> cpb.ListProfilesResponse:
        principal = current_principal()
        log.info("inner call", caller=principal.subject if principal else None)
        logging.getLogger("temporalio.test").warning("a standard-library line")
        return cpb.ListProfilesResponse(profiles=[cpb.Profile(code="kz-medical")])


class Outer(gpb_grpc.GradebookServiceServicer):
    def __init__(self, inner_address: str) -> None:
        self.inner = cpb_grpc.CurriculumServiceStub(open_channel(inner_address))

    async def GetJournal(self, request: gpb.GetJournalRequest, context: object) -> gpb.GetJournalResponse:
        if not request.journal_id:
            raise InvalidArgument("journal_id", "is required")
        profiles = await self.inner.ListProfiles(cpb.ListProfilesRequest())
        return gpb.GetJournalResponse(journal_id=request.journal_id, title=profiles.profiles[0].code)


@pytest.fixture
async def servers() -> AsyncIterator[tuple[str, io.StringIO]]:
    stream = io.StringIO()
    configure_logging("test", "INFO", "json", stream=stream)
    inner = GrpcServer(TokenIsName())
    servicer = Inner()  # type: ignore[abstract]  # only ListProfiles is called here
    inner.add(
        cpb_grpc.add_CurriculumServiceServicer_to_server, servicer, "ejournal.curriculum.v1.CurriculumService"
    )
    inner_port = await inner.start("127.0.0.1", 0)
    outer = GrpcServer(TokenIsName())
    outer_servicer = Outer(f"127.0.0.1:{inner_port}")  # type: ignore[abstract]  # only GetJournal is called
    outer.add(gpb_grpc.add_GradebookServiceServicer_to_server, outer_servicer, "x")
    outer_port = await outer.start("127.0.0.1", 0)
    await outer.set_serving(True)
    yield f"127.0.0.1:{outer_port}", stream
    await outer.stop(0)
    await inner.stop(0)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_request_id_and_token_travel_to_the_nested_call(servers: tuple[str, io.StringIO]) -> None:
    address, stream = servers
    async with grpc.aio.insecure_channel(address) as channel:
        reply = await gpb_grpc.GradebookServiceStub(channel).GetJournal(
            gpb.GetJournalRequest(journal_id="j1"),
            metadata=(*bearer("good-aigerim"), ("x-request-id", "req-42")),
        )
    assert reply.title == "kz-medical"
    logged = lines(stream)
    inner = next(line for line in logged if line["event"] == "inner call")
    assert inner["request_id"] == "req-42"
    assert inner["caller"] == "aigerim"  # the user's token was carried, not a header to trust
    foreign = next(line for line in logged if line["event"] == "a standard-library line")
    assert foreign["request_id"] == "req-42" and foreign["logger"] == "temporalio.test"
    assert str(foreign["timestamp"]).endswith("Z")
    rpc_lines = [line for line in logged if line["event"] == "rpc"]
    assert {line["rpc"] for line in rpc_lines} == {
        "/ejournal.gradebook.v1.GradebookService/GetJournal",
        "/ejournal.curriculum.v1.CurriculumService/ListProfiles",
    }
    assert all(line["request_id"] == "req-42" for line in rpc_lines)


async def test_a_caller_without_a_role_is_refused_first(servers: tuple[str, io.StringIO]) -> None:
    """Issue 13: the caller before the request's shape. A signed-in person holding no role is refused
    naming the RPC's action, before the servicer looks at the (here empty, so invalid) request."""
    address, _ = servers
    async with grpc.aio.insecure_channel(address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await gpb_grpc.GradebookServiceStub(channel).GetJournal(
                gpb.GetJournalRequest(), metadata=bearer("good-roleless")
            )
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert raised.value.details() == "permission denied: journal.read"


async def test_a_domain_error_names_the_field(servers: tuple[str, io.StringIO]) -> None:
    address, _ = servers
    async with grpc.aio.insecure_channel(address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await gpb_grpc.GradebookServiceStub(channel).GetJournal(
                gpb.GetJournalRequest(), metadata=bearer("good-x")
            )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(raised.value) == [("journal_id", "is required")]
    assert error_info(raised.value)["field"] == "journal_id"


@pytest.mark.parametrize("metadata", [(), bearer("forged"), (("authorization", "Basic abc"),)])
async def test_calls_without_a_valid_token_are_refused(
    servers: tuple[str, io.StringIO], metadata: tuple[tuple[str, str], ...]
) -> None:
    address, _ = servers
    async with grpc.aio.insecure_channel(address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await gpb_grpc.GradebookServiceStub(channel).GetJournal(
                gpb.GetJournalRequest(journal_id="j1"), metadata=metadata
            )
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_health_answers_without_a_token(servers: tuple[str, io.StringIO]) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    address, _ = servers
    inner_only = GrpcServer(TokenIsName())
    port = await inner_only.start("127.0.0.1", 0)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING  # until the runtime has checked
    await inner_only.stop(0)
    async with grpc.aio.insecure_channel(address) as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
