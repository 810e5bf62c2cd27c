"""The HTTP pair a cluster probes on each service's own port: `/readyz` and `/healthz` (and `/livez`).

- `/readyz`: 200 while the service can serve its API (started, and not down), else 503: a readiness
  probe takes a down replica out of the load balancer without restarting it.
- `/healthz`: the health report, `{"status": "ok|degraded|down", "dependencies": {...}}`; 200 while
  writes are accepted (ok or degraded), 503 when down.
- `/livez`: 200 whenever the process answers at all; a liveness probe on it restarts only a hung
  process, never one whose database is down (a restart would not bring the database back).
- `/metrics`: the Prometheus text (metrics.py), only with `Authorization: Bearer <metrics_token>`;
  without the token, or when none is set, it is not there (404), as on the gateway. A process with a
  second exporter of its own (the Temporal SDK's, bound to loopback) appends its text here, so that
  one endpoint behind one token serves both (`extra_metrics`).

Two fixed GET routes answering small JSON are all this needs, so it is a plain asyncio server rather
than a web framework in every service process (uvicorn would also take over the process's signals).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from ejournal_platform import metrics
from ejournal_platform.health import Report

READ_LIMIT = 8 * 1024


def answer(path: str, report: Report, started: bool) -> tuple[int, dict[str, Any]]:
    if path == "/healthz":
        return (200 if report.accepts_writes else 503), report.as_json()
    if path == "/livez":  # the process answers: the only thing a restart could fix
        return 200, {"status": "alive"}
    if path == "/readyz":
        ready = started and report.accepts_writes
        return (200 if ready else 503), {"status": "ready" if ready else "not ready"}
    return 404, {"status": "not found"}


def authorized(head: str, token: str) -> bool:
    """Whether the request's head carries `Authorization: Bearer <token>` (and a token is set)."""
    if not token:
        return False
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "authorization":
            return hmac.compare_digest(value.strip().encode(), f"Bearer {token}".encode())
    return False


def loopback_exporter(address: str, timeout: float = 5.0) -> Callable[[], Awaitable[bytes]]:
    """A reader of another exporter's Prometheus text at `host:port` on this machine (the Temporal
    SDK's): appended to /metrics; while it does not answer, a comment says so and the rest is served."""

    async def read() -> bytes:
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                reply = await client.get(f"http://{address}/metrics")
                reply.raise_for_status()
                return reply.content
        except httpx.HTTPError as error:
            return f"# the exporter at {address} did not answer: {type(error).__name__}\n".encode()

    return read


class ProbeServer:
    def __init__(
        self,
        report: Callable[[], Report],
        metrics_token: str = "",
        extra_metrics: Callable[[], Awaitable[bytes]] | None = None,
    ) -> None:
        self._report = report
        self._metrics_token = metrics_token
        self._extra_metrics = extra_metrics
        self.started = False  # set once the gRPC server listens
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(self._serve, host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
            text = head[:READ_LIMIT].decode("latin-1")
            method, path, *_ = text.split(" ", 2)
            path = path.split("?", 1)[0]
            content_type = "application/json"
            if path == "/metrics" and authorized(text, self._metrics_token):
                status, (payload, content_type) = 200, metrics.render()
                if self._extra_metrics is not None:
                    payload += b"\n" + await self._extra_metrics()
            else:
                status, body = answer(path, self._report(), self.started)
                payload = json.dumps(body).encode()
            if method not in ("GET", "HEAD"):
                status, payload = 405, json.dumps({"status": "method not allowed"}).encode()
            writer.write(
                f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + (payload if method == "GET" else b"")
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, OSError):
            pass  # a probe that hung up or sent garbage gets nothing
        finally:
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
