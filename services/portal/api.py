"""The portal's only way to data: the gateway's public HTTP API, called as the signed-in person.

The portal is served by the gateway process, so calls go through an in-process ASGI transport to the
same application (no network hop) — but through the same HTTP routes, cookies, CSRF check and
problem+json answers as a browser's call. An expired access token is refreshed once with the refresh
cookie; the new cookies travel back to the browser with the page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import httpx
from fastapi import Request

from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE

BASE = "http://gateway"
# Each page makes a few API calls in-process; httpx would log every one at INFO as if it left the host.
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Reply:
    status: int
    body: Any
    headers: httpx.Headers
    text: str = ""  # the answer as text when it is not JSON (an import's streamed JSON lines)

    @property
    def ok(self) -> bool:
        return self.status < 400

    def problem_field(self, name: str) -> str | None:
        """The reason the API gives for one field of a 4xx, if any."""
        for error in self.body.get("errors", []) if isinstance(self.body, dict) else []:
            if error.get("field") == name:
                return str(error.get("reason", ""))
        return None


@dataclass
class Api:
    request: Request
    language: str
    cookies: dict[str, str] = field(default_factory=dict)
    # Set-Cookie headers the browser must receive with the page (sign-in, refresh, sign-out).
    set_cookies: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, request: Request, language: str) -> Api:
        return cls(request, language, dict(request.cookies))

    @property
    def signed_in(self) -> bool:
        return ACCESS_COOKIE in self.cookies or REFRESH_COOKIE in self.cookies

    async def get(self, path: str, **params: Any) -> Reply:
        return await self.call("GET", path, params=params or None)

    async def send(
        self, method: str, path: str, body: Any = None, csrf: str = "", headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Reply:  # fmt: skip
        """An unsafe call: `csrf` is the token the page's form echoed (the API checks it). `content`
        sends raw bytes (a file) instead of a JSON body."""
        extra = {CSRF_HEADER: csrf, **(headers or {})}
        if content is not None:
            return await self.call(method, path, content=content, headers=extra)
        return await self.call(method, path, json=body, headers=extra)

    async def call(self, method: str, path: str, **kwargs: Any) -> Reply:
        reply = await self._once(method, path, **kwargs)
        expired = reply.status == 401 and REFRESH_COOKIE in self.cookies
        if expired and not path.startswith("/api/v1/session/refresh") and await self._refresh():
            reply = await self._once(method, path, **kwargs)
        return reply

    async def _refresh(self) -> bool:
        csrf = self.cookies.get(CSRF_COOKIE, "")
        reply = await self._once("POST", "/api/v1/session/refresh", json={}, headers={CSRF_HEADER: csrf})
        return reply.ok

    async def _once(
        self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Reply:
        client_host = self.request.client.host if self.request.client else "127.0.0.1"
        transport = httpx.ASGITransport(app=self.request.app, client=(client_host, 0))
        sent = {
            "accept-language": self.language,
            "user-agent": self.request.headers.get("user-agent", "")[:256],
            "cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            response = await client.request(method, path, headers=sent, **kwargs)
        self._take_cookies(response)
        kind = response.headers.get("content-type", "")
        is_json = "json" in kind and "ndjson" not in kind  # JSON lines (an import's progress) are text
        body = response.json() if is_json and response.content else None
        return Reply(response.status_code, body, response.headers, "" if is_json else response.text)

    def _take_cookies(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
