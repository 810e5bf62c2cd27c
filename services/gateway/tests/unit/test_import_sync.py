"""Issue 22: the gateway passes a sync import's flags and ending order to curriculum and streams back
the result's counts (added, updated, removed, refused) as JSON lines."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal_platform.health import Report
from services.gateway.app import create_app
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit


class Curriculum:
    def __init__(self) -> None:
        self.requests: list[pb.ImportFileRequest] = []

    def ImportFile(self, message: pb.ImportFileRequest, metadata: Any = None) -> AsyncIterator[Any]:
        self.requests.append(message)

        async def updates() -> AsyncIterator[pb.ImportFileResponse]:
            yield pb.ImportFileResponse(
                progress=pb.ImportProgress(stage="applying", rows_done=4, rows_total=4)
            )
            yield pb.ImportFileResponse(
                result=pb.ImportResult(
                    import_id="i", status="validated", rows_total=4, rows_changed=2,
                    rows_added=1, rows_updated=1, rows_removed=1, removals_refused=0,
                )
            )  # fmt: skip

        return updates()


class Clients:
    def __init__(self) -> None:
        self.curriculum = Curriculum()

    def stub(self, name: str) -> Any:
        assert name == "curriculum"
        return self.curriculum

    async def health(self) -> dict[str, Report]:
        return {}

    async def close(self) -> None:
        return None


async def test_a_sync_dry_run_passes_its_flags_and_streams_the_counts() -> None:
    clients = Clients()
    app = create_app(gateway_settings(), clients)  # type: ignore[arg-type]
    app.state.clients = clients  # set by the lifespan, which the ASGI transport does not run
    query = {
        "kind": "contingent", "file_name": "students.csv", "dry_run": "true", "sync": "true",
        "sync_order_number": "131-с", "sync_order_date": "2026-10-01",
    }  # fmt: skip
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post(
            "/api/v1/imports", params=query, content=b"a;b\n", headers={"authorization": "Bearer t"}
        )
    assert response.status_code == 200, response.text
    sent = clients.curriculum.requests[0]
    assert (sent.sync, sent.dry_run, sent.sync_order_number, sent.sync_order_date) == (
        True, True, "131-с", "2026-10-01",
    )  # fmt: skip
    result = json.loads(response.text.strip().splitlines()[-1])["result"]
    assert (result["rows_added"], result["rows_updated"], result["rows_removed"]) == (1, 1, 1)
