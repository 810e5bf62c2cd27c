"""Idempotency keys: the first successful result of a call is stored with its key in the call's own
transaction, and a retry with the same key gets that result back instead of a second effect."""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.errors import InvalidArgument
from services.gradebook.adapters.pg import raw_connection


def fingerprint(request: bytes) -> bytes:
    return hashlib.sha256(request).digest()


def check_key(key: str) -> None:
    if not key.strip():
        raise InvalidArgument("idempotency_key", "is required so that a retry cannot write twice")
    if len(key) > 200:
        raise InvalidArgument("idempotency_key", "must be at most 200 characters")


RECALL = (
    "SELECT request_hash, response FROM idempotency_keys WHERE subject = %b AND operation = %b AND key = %b"
)
REMEMBER = """
INSERT INTO idempotency_keys (subject, operation, key, request_hash, response) VALUES (%b, %b, %b, %b, %b)
ON CONFLICT DO NOTHING RETURNING key
"""


async def recall(
    session: AsyncSession, subject: str, operation: str, key: str, request_hash: bytes
) -> bytes | None:
    """The stored response of an earlier call with this key, or None; a different request under the
    same key is refused (a client bug that would otherwise return a wrong answer)."""
    conn = await raw_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(RECALL, (subject, operation, key))
        row = await cur.fetchone()
    if row is None:
        return None
    if bytes(row[0]) != request_hash:
        raise InvalidArgument("idempotency_key", "was already used for a different request")
    return bytes(row[1])


async def remember(
    session: AsyncSession, subject: str, operation: str, key: str, request_hash: bytes, response: bytes
) -> bool:
    """Store the result; False when a concurrent call with the same key got there first."""
    conn = await raw_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(REMEMBER, (subject, operation, key, request_hash, response))
        return await cur.fetchone() is not None
