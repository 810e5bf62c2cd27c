"""Idempotency keys: the first successful result of a call is stored with its key in the call's own
transaction, and a retry with the same key gets that result back instead of a second effect."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.errors import InvalidArgument
from services.gradebook.adapters import tables as t


def fingerprint(request: bytes) -> bytes:
    return hashlib.sha256(request).digest()


def check_key(key: str) -> None:
    if not key.strip():
        raise InvalidArgument("idempotency_key", "is required so that a retry cannot write twice")
    if len(key) > 200:
        raise InvalidArgument("idempotency_key", "must be at most 200 characters")


async def recall(
    session: AsyncSession, subject: str, operation: str, key: str, request_hash: bytes
) -> bytes | None:
    """The stored response of an earlier call with this key, or None; a different request under the
    same key is refused (a client bug that would otherwise return a wrong answer)."""
    k = t.idempotency_keys.c
    row = (
        await session.execute(
            select(k.request_hash, k.response).where(
                k.subject == subject, k.operation == operation, k.key == key
            )
        )
    ).first()
    if row is None:
        return None
    if bytes(row.request_hash) != request_hash:
        raise InvalidArgument("idempotency_key", "was already used for a different request")
    return bytes(row.response)


async def remember(
    session: AsyncSession, subject: str, operation: str, key: str, request_hash: bytes, response: bytes
) -> bool:
    """Store the result; False when a concurrent call with the same key got there first."""
    stored = await session.execute(
        insert(t.idempotency_keys)
        .values(subject=subject, operation=operation, key=key, request_hash=request_hash, response=response)
        .on_conflict_do_nothing()
        .returning(t.idempotency_keys.c.key)
    )
    return stored.first() is not None
