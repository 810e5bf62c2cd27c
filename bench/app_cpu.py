"""The gateway app's own CPU per 25-cell save, in-process: no HTTP server, no gRPC (a canned gradebook
reply), so what is left is the ASGI stack, routing, validation and JSON <-> protobuf. A tool for work on
the gateway (docs/perf/README.md), not one of `python -m bench`'s figures.

    .venv/bin/python -m bench.app_cpu [saves]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.logging import configure_logging
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER
from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings

CELLS = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(25)]
REPLY = pb.WriteMarksResponse(
    cells=[pb.MarkCell(column_id=c, student_id=s, value="5", version=2) for c, s in CELLS]
)


class _Stub:
    async def WriteMarks(self, message: Any, metadata: Any = None) -> pb.WriteMarksResponse:
        return REPLY


class _Clients:
    def stub(self, name: str) -> _Stub:
        return _Stub()

    async def close(self) -> None:
        return None


async def cpu_per_save_us(saves: int) -> float:
    absent = "127.0.0.1:9"
    settings = GatewaySettings(
        identity_address=absent, curriculum_address=absent, gradebook_address=absent,
        reporting_address=absent, workflow_address=absent, notifier_address=absent,
        subscribers_address=absent,
    )  # fmt: skip
    app = create_app(settings, clients=_Clients())  # type: ignore[arg-type]
    app.state.clients = _Clients()
    body = json.dumps(
        {"cells": [{"column_id": c, "student_id": s, "value": "5", "expected_version": 1} for c, s in CELLS]}
    ).encode()
    path = f"/api/v1/journals/{uuid.uuid4()}/marks"
    headers = [
        (b"host", b"bench"), (b"content-type", b"application/json"),
        (b"cookie", f"{ACCESS_COOKIE}=token; {CSRF_COOKIE}=pair".encode()), (CSRF_HEADER.encode(), b"pair"),
        (b"idempotency-key", b"k"), (b"content-length", str(len(body)).encode()),
    ]  # fmt: skip
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "headers": headers,
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2), "root_path": "",
    }  # fmt: skip
    statuses: list[int] = []

    async def save() -> None:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects
            raise AssertionError

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app({**scope, "state": {}}, receive, send)

    for _ in range(50):  # warm: lazy route state, caches
        await save()
    started = time.process_time()
    for _ in range(saves):
        await save()
    spent = time.process_time() - started
    if set(statuses) != {200}:
        raise RuntimeError(f"the app answered {sorted(set(statuses))}")
    return spent / saves * 1e6


def main() -> None:
    configure_logging("bench", "WARNING", "console")
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"gateway app: {asyncio.run(cpu_per_save_us(saves)):,.0f} us CPU per 25-cell save (in-process)")


if __name__ == "__main__":
    main()
