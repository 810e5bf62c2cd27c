"""Revoked sessions at the verifying edge: an access token stops working within seconds of sign-out,
suspension or a password reset, although it is verified locally and lives for minutes.

Identity records when a login session ends (`sessions.revoked_at`) and lists the sessions ended since
a moment (`ListRevokedSessions`, public like the key set). Each verifying service keeps the ids in a
deny-list and asks again when its list is older than `refresh_every` (1 s): the question rides on the
next call that needs it, so an idle service asks nothing. A token whose `sid` is listed is refused
until it would have expired anyway, then the id is forgotten.

Why a pull rather than an event: the list must be complete in every replica within seconds, also
for a replica that just started, and a replica needs no durable consumer of its own for that. The
question is incremental (since the last answer, with an overlap for transactions that committed
late), so it stays small.

If identity cannot be asked, the last list keeps being applied (and a warning logged); before the
first answer, tokens are refused as unavailable, like before the key set is known.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import grpc

from ejournal_platform.context import Principal
from ejournal_platform.errors import DomainError, Unauthenticated
from ejournal_platform.logging import get_logger

log = get_logger(__name__)

# Ask for revocations from this long before identity's last answer: a transaction that wrote its
# revoked_at before that answer but committed after it is still seen.
OVERLAP = timedelta(seconds=10)


class RevocationsUnavailable(DomainError):
    """No list of revoked sessions could be fetched yet: the caller may retry."""

    code_name = "UNAVAILABLE"


class SessionRevoked(Unauthenticated):
    """The token's session was ended (sign-out, suspension, password reset)."""


@dataclass(frozen=True)
class Revocations:
    session_ids: list[str]
    as_of: datetime
    keep_seconds: float


RevocationFetcher = Callable[[datetime | None], Awaitable[Revocations]]


def grpc_revocation_fetcher(identity_address: str, timeout: float = 2.0) -> RevocationFetcher:
    """Ask identity's public ListRevokedSessions over gRPC (no caller token travels)."""
    from google.protobuf.timestamp_pb2 import Timestamp

    from ejournal.identity.v1 import identity_service_pb2 as pb
    from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc

    channel: grpc.aio.Channel | None = None

    async def fetch(since: datetime | None) -> Revocations:
        nonlocal channel
        if channel is None:  # created lazily, inside the service's running event loop
            channel = grpc.aio.insecure_channel(identity_address)
        request = pb.ListRevokedSessionsRequest()
        if since is not None:
            stamp = Timestamp()
            stamp.FromDatetime(since)
            request.since.CopyFrom(stamp)
        reply = await pb_grpc.IdentityServiceStub(channel).ListRevokedSessions(request, timeout=timeout)
        return Revocations(
            list(reply.session_ids), reply.as_of.ToDatetime(tzinfo=UTC), float(reply.keep_seconds)
        )

    return fetch


class RevokedSessions:
    """The deny-list of one verifying process."""

    def __init__(
        self,
        fetch: RevocationFetcher,
        *,
        refresh_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._refresh_every = refresh_every
        self._clock = clock
        self._forget_at: dict[str, float] = {}
        self._as_of: datetime | None = None
        self._asked_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    def _stale(self) -> bool:
        return self._clock() - self._asked_at >= self._refresh_every

    async def _refresh(self) -> None:
        async with self._lock:
            if not self._stale():
                return  # another call refreshed it meanwhile
            self._asked_at = self._clock()
            since = self._as_of - OVERLAP if self._as_of is not None else None
            try:
                answer = await self._fetch(since)
            except Exception as error:
                log.warning("cannot fetch the revoked sessions; applying the last list", error=repr(error))
                return
            self.fetches += 1
            now = self._clock()
            forget_at = now + answer.keep_seconds + OVERLAP.total_seconds()
            for session_id in answer.session_ids:
                self._forget_at[session_id] = forget_at
            self._forget_at = {sid: at for sid, at in self._forget_at.items() if at > now}
            self._as_of = answer.as_of

    async def check(self, principal: Principal) -> Principal:
        """The principal, unless its token's session has been revoked."""
        if self._stale():
            await self._refresh()
        if self._as_of is None:
            raise RevocationsUnavailable("the list of ended sessions is not available yet; retry shortly")
        session_id = principal.claims.get("sid") if principal.claims else None
        if isinstance(session_id, str) and session_id in self._forget_at:
            raise SessionRevoked("the session has ended; sign in again", field="authorization")
        return principal


class Authenticating(Protocol):
    async def authenticate(self, token: str) -> Principal: ...


class RefusingRevoked:
    """An authenticator that also refuses revoked sessions (identity's own, around its key ring)."""

    def __init__(self, inner: Authenticating, revoked: RevokedSessions) -> None:
        self.inner = inner
        self.revoked = revoked

    async def authenticate(self, token: str) -> Principal:
        return await self.revoked.check(await self.inner.authenticate(token))
