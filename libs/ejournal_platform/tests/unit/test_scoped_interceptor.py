"""The server's scopes (request context, errors, authentication) run around every call, while the
handler that runs them is made once per method, not once per call (issue 19)."""

from __future__ import annotations

import grpc
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.context import Principal, RoleGrant, current_principal
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.interceptors import ScopedInterceptor
from ejournal_platform.grpc.server import GrpcServer

pytestmark = pytest.mark.unit


class ByToken:
    async def authenticate(self, token: str) -> Principal:
        return Principal(subject=token, roles=(RoleGrant("teacher", "university", "u"),), token=token)


class Echo(gpb_grpc.GradebookServiceServicer):
    async def WriteMarks(self, request: gpb.WriteMarksRequest, context: object) -> gpb.WriteMarksResponse:
        principal = current_principal()
        assert principal is not None
        return gpb.WriteMarksResponse(reopen_case_id=principal.subject)


async def test_each_call_runs_in_its_own_scopes_through_a_handler_made_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[str] = []
    wrap = ScopedInterceptor._wrap

    def counted(
        self: ScopedInterceptor, handler: grpc.RpcMethodHandler, method: str
    ) -> grpc.RpcMethodHandler:
        made.append(method)
        return wrap(self, handler, method)

    monkeypatch.setattr(ScopedInterceptor, "_wrap", counted)
    server = GrpcServer(ByToken())
    server.add(gpb_grpc.add_GradebookServiceServicer_to_server, Echo(), "x")  # type: ignore[abstract]
    port = await server.start("127.0.0.1", 0)
    channel = open_channel(f"127.0.0.1:{port}")
    stub = gpb_grpc.GradebookServiceStub(channel)
    try:
        callers = ["anna", "bolat", "anna"]
        replies = [await stub.WriteMarks(gpb.WriteMarksRequest(), metadata=bearer(who)) for who in callers]
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.WriteMarks(gpb.WriteMarksRequest())  # no token: the authentication scope still runs
    finally:
        await channel.close()
        await server.stop(0)
    assert [reply.reopen_case_id for reply in replies] == callers
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert made == ["/ejournal.gradebook.v1.GradebookService/WriteMarks"]
