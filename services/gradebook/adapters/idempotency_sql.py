"""The `idempotency_keys` table: the stored reply of a call under its caller's key (binary psycopg).

A recall can be queued into a caller's pipeline (`queue_recall`/`recalled`), so a write reads it in the
same round trip as the rows it is about to change (cells_sql.read_for_write), and a remember can be
queued with the write itself (`queue_remember`/`remembered`)."""

from __future__ import annotations

from typing import Any, NamedTuple

import psycopg


class CallKey(NamedTuple):
    """One call under an idempotency key: who, which operation, the key, and the request's hash."""

    subject: str
    operation: str
    key: str
    request_hash: bytes


class Stored(NamedTuple):
    request_hash: bytes
    response: bytes


RECALL = (
    "SELECT request_hash, response FROM idempotency_keys WHERE subject = %b AND operation = %b AND key = %b"
)
REMEMBER = """
INSERT INTO idempotency_keys (subject, operation, key, request_hash, response) VALUES (%b, %b, %b, %b, %b)
ON CONFLICT DO NOTHING RETURNING key
"""
# For a write that commits in the same round trip: a concurrent twin's key must abort the transaction
# (a unique violation, `taken_by_twin`) rather than let it commit without its key.
REMEMBER_OR_FAIL = """
INSERT INTO idempotency_keys (subject, operation, key, request_hash, response) VALUES (%b, %b, %b, %b, %b)
"""


async def queue_recall(cursor: psycopg.AsyncCursor[Any], call: CallKey) -> None:
    await cursor.execute(RECALL, (call.subject, call.operation, call.key))


async def recalled(cursor: psycopg.AsyncCursor[Any]) -> Stored | None:
    row = await cursor.fetchone()
    return None if row is None else Stored(bytes(row[0]), bytes(row[1]))


async def recall(conn: psycopg.AsyncConnection[Any], call: CallKey) -> Stored | None:
    async with conn.cursor(binary=True) as cur:
        await queue_recall(cur, call)
        return await recalled(cur)


async def queue_remember(
    cursor: psycopg.AsyncCursor[Any], call: CallKey, response: bytes, *, or_fail: bool = False
) -> None:
    await cursor.execute(
        REMEMBER_OR_FAIL if or_fail else REMEMBER,
        (call.subject, call.operation, call.key, call.request_hash, response),
    )


def taken_by_twin(error: psycopg.Error) -> bool:
    """The error of REMEMBER_OR_FAIL when a concurrent call with the same key stored its reply first."""
    return error.sqlstate == "23505" and error.diag.table_name == "idempotency_keys"


async def remembered(cursor: psycopg.AsyncCursor[Any]) -> bool:
    """False when a concurrent call with the same key stored its reply first (REMEMBER)."""
    return await cursor.fetchone() is not None


async def remember(conn: psycopg.AsyncConnection[Any], call: CallKey, response: bytes) -> bool:
    async with conn.cursor(binary=True) as cur:
        await queue_remember(cur, call, response)
        return await remembered(cur)
