"""The workflow service's own identity for calls it makes on nobody's behalf (a deadline fired, an
activity retried at night): a short-lived access token of principal `service:workflow` with role
`service`, issued by identity's IssueServiceToken (client credentials: the service name and a secret
shared with identity through configuration: EJOURNAL_WORKFLOW_SERVICE_SECRET here, and
EJOURNAL_IDENTITY_SERVICE_SECRETS='{"workflow": "<same secret>"}' at identity). Renewed before expiry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import grpc


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StaticToken:
    """A fixed token (tests mint one with TestTokens for `service:workflow`)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def token(self) -> str:
        return self._token


class IdentityServiceToken:
    def __init__(
        self,
        identity_address: str,
        client_secret: str,
        *,
        service_name: str = "workflow",
        renew_before: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = identity_address
        self._secret = client_secret
        self._name = service_name
        self._renew_before = renew_before
        self._clock = clock
        self._token = ""
        self._expires_at = float("-inf")
        self._lock = asyncio.Lock()
        self._channel: grpc.aio.Channel | None = None

    async def token(self) -> str:
        async with self._lock:
            if self._clock() < self._expires_at - self._renew_before:
                return self._token
            from ejournal.identity.v1 import identity_service_pb2 as pb
            from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc

            if self._channel is None:
                self._channel = grpc.aio.insecure_channel(self._address)
            reply = await pb_grpc.IdentityServiceStub(self._channel).IssueServiceToken(
                pb.IssueServiceTokenRequest(service_name=self._name, client_secret=self._secret), timeout=5
            )
            self._token = str(reply.access_token)
            self._expires_at = self._clock() + reply.access_expires_in_seconds
            return self._token
