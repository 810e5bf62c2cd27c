"""The deny-list of revoked sessions at a verifying service (a fake identity answer, a fake clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ejournal_platform.context import Principal
from ejournal_platform.revocation import (
    OVERLAP,
    Revocations,
    RevocationsUnavailable,
    RevokedSessions,
    SessionRevoked,
)

pytestmark = pytest.mark.unit

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def of_session(sid: str) -> Principal:
    return Principal("p", (), claims={"sid": sid})


class FakeIdentity:
    def __init__(self) -> None:
        self.revoked: list[str] = []
        self.asked: list[datetime | None] = []
        self.down = False
        self.now = T0

    async def fetch(self, since: datetime | None) -> Revocations:
        self.asked.append(since)
        if self.down:
            raise ConnectionError("identity is down")
        return Revocations(list(self.revoked), self.now, 300.0)


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


async def test_a_revoked_session_is_refused_after_the_next_refresh_and_forgotten_after_its_lifetime() -> None:
    identity, clock = FakeIdentity(), Clock()
    revoked = RevokedSessions(identity.fetch, refresh_every=1.0, clock=clock)
    await revoked.check(of_session("s1"))
    identity.revoked = ["s1"]
    clock.t += 0.5
    await revoked.check(of_session("s1"))  # still within the refresh interval: not asked again
    assert len(identity.asked) == 1
    clock.t += 0.5
    with pytest.raises(SessionRevoked):
        await revoked.check(of_session("s1"))
    await revoked.check(of_session("s2"))  # another session is not affected
    # Asked incrementally, from a little before identity's previous answer.
    assert identity.asked == [None, T0 - OVERLAP]
    identity.revoked = []
    clock.t += 300 + OVERLAP.total_seconds() + 1  # every token of s1 has expired: forgotten
    await revoked.check(of_session("s1"))


async def test_without_identity_the_last_list_holds_and_before_any_answer_tokens_wait() -> None:
    identity, clock = FakeIdentity(), Clock()
    identity.down = True
    revoked = RevokedSessions(identity.fetch, clock=clock)
    with pytest.raises(RevocationsUnavailable):
        await revoked.check(of_session("s1"))
    identity.down, identity.revoked = False, ["s1"]
    clock.t += 1
    with pytest.raises(SessionRevoked):
        await revoked.check(of_session("s1"))
    identity.down = True
    clock.t += timedelta(minutes=1).total_seconds()
    with pytest.raises(SessionRevoked):
        await revoked.check(of_session("s1"))
    await revoked.check(Principal("service:workflow", ()))  # service tokens carry no session
