"""direct.py serves the routes that take a JSON body without FastAPI's per-request machinery: each
answer it gives must be the one FastAPI gives for the same request (status, content type, headers the
client reads, body), and what it is not sure of must reach FastAPI with its body intact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ejournal.gradebook.v1 import gradebook_service_pb2 as gb
from ejournal_platform.errors import Conflict, FailedPrecondition, Wording
from ejournal_platform.grpc.status import to_rpc_status
from ejournal_platform.health import Report, State
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER
from services.gateway import direct
from services.gateway.app import create_app
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit
JOURNAL = "6f1c1b7e-1f55-4c6e-9c33-2d3c6f1b0a01"
COLUMN = "0b8e3d0e-5a3a-4a55-8a9f-5d0c1b2a3c4d"
STUDENT = "3a0c9e2b-7f1d-4d7e-9b1a-1c2d3e4f5a6b"
MARKS = f"/api/v1/journals/{JOURNAL}/marks"
SIGNED_IN = {"Authorization": "Bearer token", "Accept-Language": "kk", "Idempotency-Key": "k-1"}


def rpc_error(error: Exception) -> grpc.aio.AioRpcError:
    status = to_rpc_status(error)  # type: ignore[arg-type]
    return grpc.aio.AioRpcError(
        status.code, grpc.aio.Metadata(), grpc.aio.Metadata(*status.trailing_metadata), status.details
    )


class Gradebook:
    """WriteMarks answers each cell one version up, or raises `error`; it records what it was sent."""

    def __init__(self) -> None:
        self.error: Exception | None = None
        self.sent: list[tuple[Any, Any]] = []

    async def WriteMarks(self, request: Any, metadata: Any = None) -> Any:
        self.sent.append((request, dict(metadata or ())))
        if self.error is not None:
            raise self.error
        return gb.WriteMarksResponse(
            cells=[
                gb.MarkCell(column_id=c.column_id, student_id=c.student_id, value=c.value, version=7)
                for c in request.cells
            ],
        )


class FakeClients:
    def __init__(self) -> None:
        self.gradebook = Gradebook()

    def stub(self, service: str) -> Gradebook:
        assert service == "gradebook"
        return self.gradebook

    async def health(self) -> dict[str, Report]:
        return {"gradebook": Report(State.OK, {})}

    async def close(self) -> None:
        return None


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, FakeClients, list[str]]]:
    """The app, its fake gradebook, and the paths FastAPI's own route handling was asked to serve."""
    by_fastapi: list[str] = []
    handle = APIRoute.handle

    async def recorded(self: APIRoute, scope: Any, receive: Any, send: Any) -> None:
        by_fastapi.append(self.path)
        await handle(self, scope, receive, send)

    monkeypatch.setattr(APIRoute, "handle", recorded)
    clients = FakeClients()
    app = create_app(gateway_settings(), clients)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client, clients, by_fastapi


def both_ways(
    api: tuple[TestClient, FakeClients, list[str]], monkeypatch: pytest.MonkeyPatch, **request: Any
) -> tuple[Any, Any]:
    """The same request answered by direct.py, then by FastAPI (direct.py told the body is not JSON)."""
    client, _, by_fastapi = api
    ours = client.post(MARKS, **request)
    assert by_fastapi == [], "direct.py did not serve it"
    with monkeypatch.context() as patched:
        patched.setattr(direct, "_is_json", lambda scope: False)
        theirs = client.post(MARKS, **request)
    assert by_fastapi == ["/api/v1/journals/{journal_id}/marks"], "FastAPI did not serve it"
    by_fastapi.clear()
    return ours, theirs


def same_answer(ours: Any, theirs: Any) -> None:
    assert ours.status_code == theirs.status_code
    for header in ("content-type", "content-language", "www-authenticate", "retry-after", "etag"):
        assert ours.headers.get(header) == theirs.headers.get(header), header
    assert ours.json() == theirs.json()
    assert ours.headers["x-request-id"] and theirs.headers["x-request-id"]


CELLS = {"cells": [{"column_id": COLUMN, "student_id": STUDENT, "value": "нб", "expected_version": 6}]}


def test_a_save_is_answered_as_fastapi_answers_it_with_int64_versions_as_numbers(
    api: tuple[TestClient, FakeClients, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = both_ways(api, monkeypatch, json=CELLS, headers=SIGNED_IN)
    same_answer(ours, theirs)
    assert ours.status_code == 200
    assert ours.json()["cells"] == [{"column_id": COLUMN, "student_id": STUDENT, "value": "нб", "version": 7}]
    (first, first_metadata), (second, second_metadata) = api[1].gradebook.sent
    assert first == second and first.journal_id == JOURNAL and first.idempotency_key == "k-1"
    assert first_metadata["authorization"] == "Bearer token" == second_metadata["authorization"]
    assert first_metadata["accept-language"] == "kk"


@pytest.mark.parametrize(
    "error",
    [
        rpc_error(Conflict("the cell changed", field="cells[0]", current="4")),
        rpc_error(FailedPrecondition("section closed", field="cells", wording=Wording("section_closed"))),
        grpc.aio.AioRpcError(
            grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(("retry-after", "3")), "later"
        ),
    ],
    ids=["stale", "closed", "unavailable"],
)
def test_a_service_refusal_is_the_same_problem(
    api: tuple[TestClient, FakeClients, list[str]], monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    api[1].gradebook.error = error
    ours, theirs = both_ways(api, monkeypatch, json=CELLS, headers=SIGNED_IN)
    same_answer(ours, theirs)
    assert ours.status_code in (409, 503)


def test_the_edge_refusals_are_the_same(
    api: tuple[TestClient, FakeClients, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_uuid = {"cells": [{"column_id": "x", "student_id": STUDENT, "value": "5"}]}
    ours, theirs = both_ways(api, monkeypatch, json=not_a_uuid, headers=SIGNED_IN)
    same_answer(ours, theirs)
    reason = "идентификатор (UUID) болуы керек"
    assert ours.json()["errors"] == [{"field": "cells[0].column_id", "reason": reason}]
    ours, theirs = both_ways(api, monkeypatch, json=CELLS, headers={"Accept-Language": "en"})
    same_answer(ours, theirs)
    assert ours.status_code == 401
    cookies = {ACCESS_COOKIE: "token", CSRF_COOKIE: "csrf"}
    api[0].cookies.update(cookies)
    ours, theirs = both_ways(api, monkeypatch, json=CELLS, headers={CSRF_HEADER: "another"})
    same_answer(ours, theirs)
    assert ours.status_code == 403
    assert api[1].gradebook.sent == []


@pytest.mark.parametrize(
    "body",
    [b'{"cells": [{"column_id": 5}]}', b'{"cells": [], "unknown": 1}', b"{not json", b""],
    ids=["wrong type", "unknown field", "not json", "empty"],
)
def test_a_body_the_model_refuses_goes_to_fastapi_whole(
    api: tuple[TestClient, FakeClients, list[str]], body: bytes
) -> None:
    client, clients, by_fastapi = api
    reply = client.post(MARKS, content=body, headers={**SIGNED_IN, "Content-Type": "application/json"})
    assert by_fastapi == ["/api/v1/journals/{journal_id}/marks"]
    assert reply.status_code == 422 and reply.json()["type"].endswith("/malformed")
    assert clients.gradebook.sent == []


def test_what_no_direct_route_serves_is_fastapis(api: tuple[TestClient, FakeClients, list[str]]) -> None:
    client, _, by_fastapi = api
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/v1/journals/x/nothing-here", json={}, headers=SIGNED_IN).status_code == 404
    assert client.get(MARKS, headers=SIGNED_IN).status_code == 405  # a save's path, not its method
    assert by_fastapi == ["/healthz", "/api/v1/journals/{journal_id}/marks"]  # the 404 is the router's
