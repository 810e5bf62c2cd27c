"""A dependency that is down is UNAVAILABLE with a retry hint, never INTERNAL; clients retry only what
is safe to repeat, with the same request (and so the same idempotency key)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import nats.errors
import psycopg
import pytest
import stamina
from sqlalchemy.exc import OperationalError as SAOperationalError

from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.retry import is_idempotent
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.unavailable import is_unavailable

pytestmark = pytest.mark.unit


class AnyToken:
    async def authenticate(self, token: str) -> Principal:
        # A teacher: a caller holding no role at all is refused before the servicer runs (issue 13).
        return Principal(subject="someone", roles=(RoleGrant("teacher", "university", "u"),), token=token)


class Flaky(gpb_grpc.GradebookServiceServicer):
    """Fails its first `failures` calls the way a service does while its database restarts."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.keys: list[str] = []

    async def WriteMarks(self, request: gpb.WriteMarksRequest, context: object) -> gpb.WriteMarksResponse:
        self.keys.append(request.idempotency_key)
        if len(self.keys) <= self.failures:
            raise self.error
        return gpb.WriteMarksResponse()


@pytest.fixture
async def flaky() -> AsyncIterator[tuple[str, Flaky]]:
    refused = psycopg.OperationalError("connection failed: Connection refused")
    servicer = Flaky(2, SAOperationalError("SELECT 1", {}, refused))  # type: ignore[abstract]
    server = GrpcServer(AnyToken())
    server.add(gpb_grpc.add_GradebookServiceServicer_to_server, servicer, "x")
    port = await server.start("127.0.0.1", 0)
    yield f"127.0.0.1:{port}", servicer
    await server.stop(0)


def test_connection_failures_are_unavailability_and_bugs_are_not() -> None:
    refused = psycopg.OperationalError("connection failed: Connection refused")
    assert is_unavailable(refused)
    assert is_unavailable(SAOperationalError("SELECT 1", {}, refused))
    assert is_unavailable(nats.errors.NoServersError())
    assert is_unavailable(ConnectionRefusedError())
    down = grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata())
    assert is_unavailable(down)
    assert is_unavailable(RuntimeError("wrapped")) is False
    wrapped = RuntimeError("while writing")
    wrapped.__cause__ = refused
    assert is_unavailable(wrapped)
    assert not is_unavailable(ValueError("a bug"))
    assert not is_unavailable(psycopg.errors.UniqueViolation())
    denied = grpc.aio.AioRpcError(grpc.StatusCode.PERMISSION_DENIED, grpc.aio.Metadata(), grpc.aio.Metadata())
    assert not is_unavailable(denied)


def test_only_reads_and_keyed_writes_are_idempotent() -> None:
    write = "/ejournal.gradebook.v1.GradebookService/WriteMarks"
    assert is_idempotent(write, gpb.WriteMarksRequest(idempotency_key="k1"))
    assert not is_idempotent(write, gpb.WriteMarksRequest())
    assert is_idempotent("/ejournal.gradebook.v1.GradebookService/GetJournal", gpb.GetJournalRequest())
    assert not is_idempotent("/grpc.health.v1.Health/Check", gpb.GetJournalRequest())


async def test_a_lost_database_is_unavailable_with_a_retry_hint(flaky: tuple[str, Flaky]) -> None:
    address, _ = flaky
    async with grpc.aio.insecure_channel(address) as channel:  # a plain channel: no retries
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await gpb_grpc.GradebookServiceStub(channel).WriteMarks(
                gpb.WriteMarksRequest(idempotency_key="k1"), metadata=bearer("t")
            )
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
    assert ("retry-after", "2") in list(raised.value.trailing_metadata() or ())


async def test_a_keyed_write_is_retried_with_the_same_key(flaky: tuple[str, Flaky]) -> None:
    address, servicer = flaky
    channel = open_channel(address)
    await gpb_grpc.GradebookServiceStub(channel).WriteMarks(
        gpb.WriteMarksRequest(idempotency_key="k1"), metadata=bearer("t")
    )
    await channel.close()
    assert servicer.keys == ["k1", "k1", "k1"]


async def test_a_write_without_a_key_is_not_repeated(flaky: tuple[str, Flaky]) -> None:
    address, servicer = flaky
    channel = open_channel(address)
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await gpb_grpc.GradebookServiceStub(channel).WriteMarks(gpb.WriteMarksRequest(), metadata=bearer("t"))
    await channel.close()
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.keys == [""]


async def test_a_keyed_write_that_stays_unavailable_is_tried_five_times_in_all(
    flaky: tuple[str, Flaky],
) -> None:
    """The first attempt runs outside stamina and a failure of it is replayed into stamina's first
    attempt (grpc/retry.py): the attempts stay five in all, not six."""
    address, servicer = flaky
    servicer.failures = 100
    channel = open_channel(address)
    with stamina.set_testing(True, attempts=100, cap=True), pytest.raises(grpc.aio.AioRpcError) as raised:
        await gpb_grpc.GradebookServiceStub(channel).WriteMarks(
            gpb.WriteMarksRequest(idempotency_key="k1"), metadata=bearer("t")
        )
    await channel.close()
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.keys == ["k1"] * 5
