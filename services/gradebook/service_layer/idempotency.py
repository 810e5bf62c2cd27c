"""Idempotency keys: the first successful result of a call is stored with its key in the call's own
transaction, and a retry with the same key gets that result back instead of a second effect.

`once` is the one way a use case does this (WriteMarks, RecordAttendance, CloseSection): it recalls,
runs the work, stores what `encode` makes of the outcome and commits, and settles the races with a
concurrent twin of the call. The entrypoint passes the encoder in (the reply's bytes, or for marks a
compact form the reply is rebuilt from), so the service layer knows no wire format."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import Conflict, InvalidArgument
from services.gradebook.adapters import idempotency_sql
from services.gradebook.adapters.idempotency_sql import CallKey, Stored

__all__ = ["CallKey", "Replay", "Reply", "TwinFirst", "accept", "check_key", "fingerprint", "once", "recall"]

T = TypeVar("T")


def fingerprint(request: bytes) -> bytes:
    return hashlib.sha256(request).digest()


def check_key(key: str) -> None:
    if not key.strip():
        raise InvalidArgument("idempotency_key", "is required so that a retry cannot write twice")
    if len(key) > 200:
        raise InvalidArgument("idempotency_key", "must be at most 200 characters")


def accept(stored: Stored | None, call: CallKey) -> bytes | None:
    """The stored reply of an earlier call with this key, or None; a different request under the same
    key is refused (a client bug that would otherwise return a wrong answer)."""
    if stored is None:
        return None
    if stored.request_hash != call.request_hash:
        raise InvalidArgument("idempotency_key", "was already used for a different request")
    return stored.response


async def recall(uow: UnitOfWork, call: CallKey) -> bytes | None:
    return accept(await idempotency_sql.recall(await driver_connection(uow.session), call), call)


class Replay(Exception):
    """Raised by work that found the key's reply itself (read in its own round trip)."""

    def __init__(self, stored: bytes) -> None:
        super().__init__("replayed")
        self.stored = stored


class TwinFirst(Exception):
    """Raised by work that stored its reply itself and found the key taken by a concurrent twin."""


@dataclass(frozen=True)
class Reply(Generic[T]):
    """What `once` gives back: this call's outcome, or the stored reply of an earlier one."""

    outcome: T | None = None
    stored: bytes | None = None


async def once(
    uow: UnitOfWork,
    call: CallKey,
    work: Callable[[], Awaitable[T]],
    encode: Callable[[T], bytes],
    *,
    recall_first: bool = True,
    stored_with_work: bool = False,
) -> Reply[T]:
    """Run `work` once per key inside `uow`, store `encode(outcome)` and commit.

    recall_first=False: `work` reads the key itself (raising Replay) in a round trip it makes anyway.
    stored_with_work=True: `work` stored the reply in its own write round trip, raising TwinFirst if a
    concurrent twin had stored one first.
    A Conflict (a stale version) may be a concurrent twin of this call that won: its reply is returned.
    """
    if recall_first and (earlier := await recall(uow, call)) is not None:
        return Reply(stored=earlier)
    try:
        outcome = await work()
    except Replay as found:
        return Reply(stored=found.stored)
    except TwinFirst:
        return await _twins_reply(uow, call)
    except Conflict:
        await uow.session.rollback()
        if (earlier := await recall(uow, call)) is not None:
            return Reply(stored=earlier)
        raise
    if not stored_with_work and not await idempotency_sql.remember(
        await driver_connection(uow.session), call, encode(outcome)
    ):
        return await _twins_reply(uow, call)
    await uow.commit()
    return Reply(outcome)


async def _twins_reply(uow: UnitOfWork, call: CallKey) -> Reply[T]:
    """A twin of this call committed first (same key): its reply is the answer, this one is undone."""
    await uow.session.rollback()
    earlier = await recall(uow, call)
    assert earlier is not None
    return Reply(stored=earlier)
