"""Issue 13: an import over the limit gets 413 before its body is read (and is never silently cut),
driven at the ASGI level so that the test sees every read of the body."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

import pytest

from ejournal_platform.health import Report
from services.gateway import imports
from services.gateway.app import create_app
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit


class NoServices:
    """No service may be called: the gateway must refuse the file itself."""

    def stub(self, name: str) -> Any:
        raise AssertionError(f"{name} was called for a file over the limit")

    async def health(self) -> dict[str, Report]:
        return {}

    async def close(self) -> None:
        return None


async def post_import(headers: dict[str, str], body_chunks: list[bytes]) -> tuple[int, dict[str, Any], int]:
    """POST /api/v1/imports; returns (status, JSON body, how many body chunks the app read)."""
    app = create_app(gateway_settings(), NoServices())  # type: ignore[arg-type]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/imports", "raw_path": b"/api/v1/imports",
        "query_string": b"kind=contingent&file_name=students.csv", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(body_chunks):
            read += 1
            return {
                "type": "http.request",
                "body": body_chunks[read - 1],
                "more_body": read < len(body_chunks),
            }
        return {"type": "http.disconnect"}

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), read


async def test_a_declared_size_over_the_limit_is_refused_before_the_body_is_read() -> None:
    chunks = [b"x" * 1024] * 4
    headers = {
        "authorization": "Bearer t",
        "content-length": str(imports.MAX_FILE_BYTES + 1),
        "accept-language": "kk",
    }
    status, problem, read = await post_import(headers, chunks)
    assert (status, read) == (413, 0)
    assert problem["title"] == "Файл тым үлкен"
    assert problem["errors"][0]["field"] == "file"


async def test_a_chunked_body_is_refused_once_it_passes_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 3000)
    chunks = [b"x" * 1024] * 10  # no Content-Length: counted while it arrives
    status, problem, read = await post_import({"authorization": "Bearer t"}, chunks)
    assert (status, read) == (413, 3)  # stopped at the chunk that passed the limit, not at the end
    assert problem["status"] == 413
