"""The transcript and the signed-in HTTP calls the semester is played with."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import stamina

from deploy.demo import university as u
from deploy.demo.model import Person


class StepFailed(Exception):
    pass


class Unavailable(Exception):
    """A 503 from the gateway: some part is down or restarting; the same request may be sent again."""

    def __init__(self, reply: httpx.Response) -> None:
        super().__init__(f"503 {reply.text[:200]}")
        self.reply = reply


def retry_after(error: Exception) -> bool | float:
    """stamina's hook: retry a 503 after the seconds its Retry-After names (else its own backoff)."""
    if not isinstance(error, Unavailable):
        return False
    seconds = error.reply.headers.get("retry-after", "")
    return float(seconds) if seconds.isdigit() else True


@dataclass
class Transcript:
    out: Callable[[str], None] = print
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    def step(self, who: str, what: str, expected: str, got: str, ok: bool) -> None:
        mark = "PASS" if ok else "FAIL"
        self.out(f"  [{mark}] {who:<18} {what} — expected {expected}; got {got}")
        if ok:
            self.passed += 1
        else:
            self.failed.append(f"{who}: {what}")
            raise StepFailed(what)


class Api:
    """Signed-in calls to the gateway, one bearer token per demo login."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.http = httpx.Client(base_url=self.base, timeout=30)
        self.tokens: dict[str, str] = {}

    def sign_in(self, who: Person) -> httpx.Response:
        reply = self.http.post("/api/v1/session", json={"login": who.login, "password": u.DEMO_PASSWORD})
        if reply.status_code == 200:
            self.tokens[who.login] = str(reply.json()["access_token"])
        return reply

    def call(self, who: Person, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who.login]}", "Accept-Language": "en"}
        headers.update(kwargs.pop("headers", {}))
        if method != "GET" and "Idempotency-Key" not in headers:
            return self.http.request(method, path, headers=headers, **kwargs)
        return self.repeatable(method, path, headers=headers, **kwargs)

    def repeatable(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A read, or a write with its Idempotency-Key: sent again, unchanged, while the stack
        answers 503 (a part restarting), waiting as long as its Retry-After says."""
        for attempt in stamina.retry_context(on=retry_after, attempts=8, timeout=60, wait_max=10):
            with attempt:
                reply = self.http.request(method, path, **kwargs)
                if reply.status_code == 503:
                    raise Unavailable(reply)
                return reply
        raise AssertionError("stamina re-raises the last error")  # pragma: no cover

    def write(self, who: Person, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        return self.call(who, "POST", path, json=body, headers=headers)


def brief(reply: httpx.Response) -> str:
    """The status, and for a problem+json its detail."""
    if reply.status_code < 400:
        return str(reply.status_code)
    try:
        detail = reply.json().get("detail", "")
    except ValueError:
        detail = reply.text[:200]
    return f"{reply.status_code} {detail}"
