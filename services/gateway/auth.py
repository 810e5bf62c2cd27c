"""Authentication at the edge: who is calling, and the token that travels to the services.

Two ways in: the portal's HttpOnly, Secure, SameSite=Strict session cookie (with a double-submit CSRF
token on every unsafe method), or a bearer token for other systems. The gateway does not decide what
the caller may do; it forwards the token and the services decide.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request, Response

from ejournal_platform.context import REQUEST_ID_HEADER
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class GatewayProblem(Exception):
    """A problem the gateway itself detects (no service was asked)."""

    def __init__(
        self, status: int, key: str, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.key = key
        self.detail = detail
        self.errors = errors


@dataclass(frozen=True)
class Caller:
    token: str
    via_cookie: bool


async def caller(request: Request) -> Caller:
    """The caller's access token; 401 without one, 403 for a cookie session missing its CSRF token.

    async although it awaits nothing: FastAPI runs a plain function dependency in a worker thread,
    and that hop was a visible share of every API call's time (docs/perf/README.md)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return Caller(token, via_cookie=False)
    cookie = request.cookies.get(ACCESS_COOKIE)
    if not cookie:
        raise GatewayProblem(401, "UNAUTHENTICATED", "sign in, or send a bearer token")
    if request.method not in SAFE_METHODS:
        expected = request.cookies.get(CSRF_COOKIE)
        sent = request.headers.get(CSRF_HEADER)
        if not expected or not sent or not secrets.compare_digest(expected, sent):
            raise GatewayProblem(
                403, "CSRF", f"send the {CSRF_COOKIE} cookie's value in the {CSRF_HEADER} header"
            )
    return Caller(cookie, via_cookie=True)


def metadata(request: Request, token: str | None = None) -> tuple[tuple[str, str], ...]:
    """gRPC metadata for a call on the caller's behalf."""
    items = [(REQUEST_ID_HEADER, request.state.request_id)]
    if token:
        items.append(("authorization", f"Bearer {token}"))
    language = request.headers.get("accept-language")
    if language:
        items.append(("accept-language", language))
    key = request.headers.get("idempotency-key")
    if key:
        items.append(("idempotency-key", key))
    return tuple(items)


def start_session(response: Response, access_token: str, refresh_token: str, access_ttl: int) -> str:
    """Set the session cookies; return the CSRF token the portal must echo in x-csrf-token.

    Secure even on the local stack: browsers treat http://localhost as a secure context.
    """
    csrf = secrets.token_urlsafe(24)
    cookies = [
        (ACCESS_COOKIE, access_token, access_ttl, True),
        (REFRESH_COOKIE, refresh_token, 30 * 24 * 3600, True),
        (CSRF_COOKIE, csrf, 30 * 24 * 3600, False),  # readable by the portal's script, by design
    ]
    for name, value, max_age, httponly in cookies:
        response.set_cookie(
            name, value, max_age=max_age, httponly=httponly, secure=True, samesite="strict", path="/"
        )
    return csrf


def end_session(response: Response) -> None:
    for name in (ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/")
