"""Input refused at the edge with 422 naming each field, before any service is called: ids that are
not UUIDs, negative counts, non-finite numbers and nulls (a mark is cleared only by an explicit "")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ejournal.gradebook.v1 import gradebook_service_pb2 as gb
from ejournal_platform.health import Report, State
from services.gateway.app import create_app
from services.gateway.auth import Caller, caller
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit
JOURNAL = "6f1c1b7e-1f55-4c6e-9c33-2d3c6f1b0a01"
COLUMN = "0b8e3d0e-5a3a-4a55-8a9f-5d0c1b2a3c4d"
STUDENT = "3a0c9e2b-7f1d-4d7e-9b1a-1c2d3e4f5a6b"


class RecordingStub:
    def __init__(self, calls: list[tuple[str, Any]]) -> None:
        self.calls = calls

    def __getattr__(self, rpc: str) -> Any:
        async def method(message: Any, metadata: Any = None) -> Any:
            self.calls.append((rpc, message))
            return getattr(gb, f"{rpc}Response")()

        return method


class FakeClients:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def stub(self, service: str) -> RecordingStub:
        return RecordingStub(self.calls)

    async def health(self) -> dict[str, Report]:
        return {"gradebook": Report(State.OK, {})}

    async def close(self) -> None:
        return None


@pytest.fixture
def api() -> Iterator[tuple[TestClient, FakeClients]]:
    clients = FakeClients()
    app = create_app(gateway_settings(), clients)  # type: ignore[arg-type]
    app.dependency_overrides[caller] = lambda: Caller("token", via_cookie=False)
    with TestClient(app) as client:
        yield client, clients


def write(api: tuple[TestClient, FakeClients], journal: str, cells: list[dict[str, Any]]) -> Any:
    client, _ = api
    return client.post(
        f"/api/v1/journals/{journal}/marks", json={"idempotency_key": "k1", "cells": cells},
        headers={"Accept-Language": "en"},
    )  # fmt: skip


def test_a_non_uuid_id_is_a_422_naming_the_field_and_no_service_is_called(
    api: tuple[TestClient, FakeClients],
) -> None:
    reply = write(
        api, JOURNAL, [{"column_id": "x'; DROP TABLE marks;--", "student_id": STUDENT, "value": "5"}]
    )
    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "cells[0].column_id", "reason": "must be a UUID"}]
    reply = write(api, "not-a-journal", [{"column_id": COLUMN, "student_id": STUDENT, "value": "5"}])
    assert reply.status_code == 422 and reply.json()["errors"][0]["field"] == "journal_id"
    assert api[1].calls == []


def test_null_does_not_clear_a_mark_but_an_explicit_empty_value_does(
    api: tuple[TestClient, FakeClients],
) -> None:
    reply = write(api, JOURNAL, [{"column_id": COLUMN, "student_id": STUDENT, "value": None}])
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "cells[0].value"
    assert api[1].calls == []
    # An optional field's null is its absence (write unconditionally), and "" is the explicit clearing.
    cell = {"column_id": COLUMN, "student_id": STUDENT, "value": "", "expected_version": None}
    assert write(api, JOURNAL, [cell]).status_code == 200
    ((rpc, message),) = api[1].calls
    assert (
        rpc == "WriteMarks"
        and message.cells[0].value == ""
        and not message.cells[0].HasField("expected_version")
    )


def test_negative_counts_are_refused(api: tuple[TestClient, FakeClients]) -> None:
    cell = {"column_id": COLUMN, "student_id": STUDENT, "value": "5", "expected_version": -1}
    reply = write(api, JOURNAL, [cell])
    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {"field": "cells[0].expected_version", "reason": "must not be negative"}
    ]
    client, clients = api
    reply = client.get(f"/api/v1/people/{STUDENT}/login-attempts", params={"limit": -5})
    assert reply.status_code == 422 and reply.json()["errors"][0]["field"] == "limit"
    assert clients.calls == []


def test_a_repeated_field_of_a_get_request_is_reached_by_repeating_it_in_the_query(
    api: tuple[TestClient, FakeClients],
) -> None:
    """Issue 15: `student_ids` of totals could not be reached (repeated fields were left out of GETs)."""
    client, clients = api
    other = "4b1d0f3c-8e2a-4e8f-8c2b-2d3e4f5a6b7c"
    answer = client.get(
        f"/api/v1/journals/{JOURNAL}/totals", params=[("student_ids", STUDENT), ("student_ids", other)]
    )
    assert answer.status_code == 200, answer.text
    rpc, message = clients.calls[-1]
    assert rpc == "GetTotals"
    assert list(message.student_ids) == [STUDENT, other]
