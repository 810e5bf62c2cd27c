"""A lean HTTP/1.1 keep-alive client for the write figure's load generator (not a benchmark).

Why not httpx: the load generator runs on the same two cores as the stack it measures, and httpx spent
~2–4 ms of CPU per 25-cell save (its transport, h11's pure-Python parser, header models) — about as much
as the gateway itself, against 0.7–1.5 ms for the raw side's psycopg client. The write figure compares the
servers, so its client should cost about what the raw side's does.

What it does, and what it refuses rather than misreads: one connection per client, requests written in
one buffer, the reply's status line and headers read up to the blank line, its body by Content-Length.
A reply without Content-Length (chunked) raises, and so does a request on a connection the server
closed with `Connection: close`: the gateway's JSON answers always carry a length and keep the
connection, so either means something changed and the figure would be wrong. A connection the server
dropped while it was idle (uvicorn's keep-alive timeout is 5 s; on a loaded machine a raw round between
two of ours can take longer) is reopened before the next request, as a browser does. The caller
still checks every reply's status and reads its JSON body (bench/gateway.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class KeepAliveClient:
    """One HTTP/1.1 connection, one request at a time (as a browser tab saving its grid)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"an http://host:port base URL is needed, not {base_url!r}")
        self._host, self._port = parts.hostname, parts.port
        self._authority = f"{self._host}:{self._port}".encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._closing = False  # the server said `Connection: close`: no further request on this one

    async def __aenter__(self) -> KeepAliveClient:
        await self._connect()
        return self

    async def _connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)

    async def __aexit__(self, *_: object) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()

    async def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST `body` (application/json) to `path` and read the whole reply."""
        assert self._reader is not None and self._writer is not None, "use `async with`"
        if self._closing:
            raise RuntimeError("the server closed this connection after its last reply")
        if self._reader.at_eof():  # closed while idle, between two requests: open a new one
            self._writer.close()
            await self._connect()
            assert self._writer is not None
        head = [f"POST {path} HTTP/1.1".encode(), b"Host: " + self._authority,
                b"Content-Type: application/json", b"Content-Length: " + str(len(body)).encode()]  # fmt: skip
        head += [f"{name}: {value}".encode() for name, value in headers.items()]
        self._writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        return await self._reply()

    async def _reply(self) -> Reply:
        assert self._reader is not None
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].split(b"\r\n")
        version, status, *_ = lines[0].split(b" ", 2)
        if version != b"HTTP/1.1":
            raise RuntimeError(f"not an HTTP/1.1 reply: {lines[0]!r}")
        length: int | None = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError(f"a reply this client does not read: {line!r}")
            elif name == b"connection" and value.strip().lower() == b"close":
                self._closing = True
        if length is None:
            raise RuntimeError("a reply without Content-Length")
        return Reply(int(status), await self._reader.readexactly(length))
