"""Batch SQL for cells (marks, attendance), their history rows and their outbox rows: one statement
per table per batch, over arrays with binary parameters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

from services.gradebook.domain.history_chain import Change

CURRENT_MARKS = """
SELECT m.column_id, m.student_id, m.value, m.version
FROM marks m JOIN unnest(%b::uuid[], %b::uuid[]) AS u(c, s) ON m.column_id = u.c AND m.student_id = u.s
WHERE m.journal_id = %b
"""

UPSERT_MARKS = """
INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by)
SELECT %b, u.c, u.s, u.v, u.n, %b, %b
FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::int8[]) AS u(c, s, v, n)
ON CONFLICT (journal_id, column_id, student_id) DO UPDATE
SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by
"""

CURRENT_ATTENDANCE = """
SELECT a.student_id, a.status, a.version, a.source, a.checked_in_at
FROM attendance a WHERE a.journal_id = %b AND a.column_id = %b AND a.student_id = ANY(%b::uuid[])
"""

UPSERT_ATTENDANCE = """
INSERT INTO attendance (journal_id, column_id, student_id, status, source, checked_in_at, version,
                        updated_at, updated_by)
SELECT %b, %b, u.s, u.st, u.src, u.at, u.n, %b, %b
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::timestamptz[], %b::int8[]) AS u(s, st, src, at, n)
ON CONFLICT (journal_id, column_id, student_id) DO UPDATE
SET status = excluded.status, source = excluded.source, checked_in_at = excluded.checked_in_at,
    version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
"""

INSERT_HISTORY = """
INSERT INTO history (journal_id, position, kind, column_id, student_id, old_value, new_value, author_id,
                     on_behalf_of_id, reason, grant_id, case_id, recorded_at, prev_hash, hash)
SELECT %b, u.p, %b, u.c, u.s, u.o, u.n, %b, %b, %b, %b, %b, %b, u.ph, u.h
FROM unnest(%b::int8[], %b::uuid[], %b::uuid[], %b::text[], %b::text[], %b::bytea[], %b::bytea[])
     AS u(p, c, s, o, n, ph, h)
"""

INSERT_OUTBOX = """
INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload, request_id)
SELECT u.id, %b, %b, %b, u.payload, %b FROM unnest(%b::uuid[], %b::bytea[]) AS u(id, payload)
"""

LOCK_HEAD = "SELECT position, hash FROM chain_heads WHERE journal_id = %b FOR UPDATE"
UPDATE_HEAD = "UPDATE chain_heads SET position = %b, hash = %b WHERE journal_id = %b"


async def lock_chain_head(conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID) -> tuple[int, bytes]:
    """Serialises the journal's writers: the chain's next link needs the previous hash."""
    async with conn.cursor(binary=True) as cur:
        await cur.execute(LOCK_HEAD, (journal_id,))
        row = await cur.fetchone()
    if row is None:
        raise LookupError(f"journal {journal_id} has no history chain")
    return int(row[0]), bytes(row[1])


async def current_marks(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    column_ids: list[uuid.UUID],
    student_ids: list[uuid.UUID],
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[str | None, int]]:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(CURRENT_MARKS, (column_ids, student_ids, journal_id))
        return {(row[0], row[1]): (row[2], int(row[3])) for row in await cur.fetchall()}


async def upsert_marks(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    at: datetime,
    by: str,
    column_ids: list[uuid.UUID],
    student_ids: list[uuid.UUID],
    values: list[str | None],
    versions: list[int],
) -> None:
    async with conn.cursor() as cur:
        await cur.execute(
            UPSERT_MARKS, (journal_id, at, by, column_ids, student_ids, values, versions), prepare=True
        )


async def insert_history(
    conn: psycopg.AsyncConnection[Any],
    changes: Sequence[Change],
    prev_hashes: list[bytes],
    hashes: list[bytes],
) -> None:
    """All changes of one batch share journal, kind, author, on-behalf-of, reason, grant and time."""
    first = changes[0]
    async with conn.cursor() as cur:
        await cur.execute(
            INSERT_HISTORY,
            (
                uuid.UUID(first.journal_id),
                first.kind,
                first.author_id,
                first.on_behalf_of_id,
                first.reason,
                uuid.UUID(first.grant_id) if first.grant_id else None,
                first.case_id,
                first.recorded_at,
                [c.position for c in changes],
                [uuid.UUID(c.column_id) for c in changes],
                [uuid.UUID(c.student_id) for c in changes],
                [c.old_value for c in changes],
                [c.new_value for c in changes],
                prev_hashes,
                hashes,
            ),
            prepare=True,
        )


async def update_head(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, position: int, hash_: bytes
) -> None:
    await conn.execute(UPDATE_HEAD, (position, hash_, journal_id))


async def insert_outbox(
    conn: psycopg.AsyncConnection[Any],
    event_type: str,
    subject: str,
    at: datetime,
    request_id: str | None,
    event_ids: list[uuid.UUID],
    payloads: list[bytes],
) -> None:
    async with conn.cursor() as cur:
        await cur.execute(
            INSERT_OUTBOX, (event_type, subject, at, request_id, event_ids, payloads), prepare=True
        )


async def current_attendance(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, column_id: uuid.UUID, students: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, int, str, datetime | None]]:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(CURRENT_ATTENDANCE, (journal_id, column_id, students))
        return {row[0]: (row[1], int(row[2]), row[3], row[4]) for row in await cur.fetchall()}


async def upsert_attendance(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    column_id: uuid.UUID,
    at: datetime,
    by: str,
    students: list[uuid.UUID],
    statuses: list[str],
    sources: list[str],
    checked_in: list[datetime | None],
    versions: list[int],
) -> None:
    await conn.execute(
        UPSERT_ATTENDANCE,
        (journal_id, column_id, at, by, students, statuses, sources, checked_in, versions),
    )
