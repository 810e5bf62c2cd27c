"""Issue 18: the gateway writes one access-log line per request (method, route template, status,
milliseconds, request id), never a token or the query string; probes stay out of it."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ejournal_platform.health import State
from ejournal_platform.logging import configure_logging
from services.gateway.app import create_app
from services.gateway.tests.settings import gateway_settings
from services.gateway.tests.unit.test_edge import FakeClients

pytestmark = pytest.mark.unit
SECRET = "eyJ-secret-token-never-logged"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("gateway", "INFO", "json", stream=stream)
    yield stream
    configure_logging("gateway", "INFO", "auto", stream=sys.stderr)


def test_one_line_per_request_without_tokens(log_lines: io.StringIO) -> None:
    app = create_app(gateway_settings(), FakeClients({"identity": State.OK}))  # type: ignore[arg-type]

    @app.get("/test/journals/{journal_id}")
    async def journal(journal_id: str) -> dict[str, str]:
        return {"journal_id": journal_id}

    with TestClient(app) as http:
        http.get("/healthz")
        reply = http.get(
            f"/test/journals/j-1?access_token={SECRET}",
            headers={"Authorization": f"Bearer {SECRET}", "X-Request-Id": "req-42"},
        )
    assert reply.status_code == 200
    text = log_lines.getvalue()
    assert SECRET not in text
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    access = [line for line in lines if line.get("logger") == "ejournal.access"]
    assert len(access) == 1, access  # the probe is left out
    (line,) = access
    assert (line["method"], line["route"], line["status"], line["request_id"]) == (
        "GET",
        "/test/journals/{journal_id}",
        200,
        "req-42",
    )
    assert isinstance(line["ms"], float) and line["ms"] >= 0
