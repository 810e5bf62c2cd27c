"""The transcript and the signed-in HTTP calls the semester is played with."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from deploy.demo import university as u
from deploy.demo.model import Person


class StepFailed(Exception):
    pass


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
        return self.http.request(method, path, headers=headers, **kwargs)

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
