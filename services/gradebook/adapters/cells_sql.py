"""Batch SQL for cells (marks, attendance), their history rows and their outbox rows: one statement
per table per batch, over arrays with binary parameters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from services.gradebook.domain.history_chain import Change

# The batch's columns hold every cell it writes; reading them whole avoids sending each cell's ids.
CURRENT_MARKS = """
SELECT m.column_id, m.student_id, m.value, m.version FROM marks m
WHERE m.journal_id = %b AND m.column_id = ANY(%b::uuid[])
"""
COLUMNS = """
SELECT column_id, kind, date, section_id, control_kind, cancelled, classroom_id, starts_at
FROM columns WHERE journal_id = %b
"""
ROSTER = """
SELECT DISTINCT e.student_id FROM enrollments e
WHERE e.group_id = %b AND e.until IS NULL AND (%b::uuid IS NULL OR e.subgroup_id = %b::uuid)
"""
CLOSED_SECTIONS = "SELECT section_id FROM sections WHERE journal_id = %b AND closed_at IS NOT NULL"
RECALL = (
    "SELECT request_hash, response FROM idempotency_keys WHERE subject = %b AND operation = %b AND key = %b"
)

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
SELECT %b, %b + u.ord, %b, u.c, u.s, u.o, u.n, %b, %b, %b, %b, %b, %b,
       coalesce(lag(u.h) OVER (ORDER BY u.ord), %b), u.h
FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::text[], %b::bytea[])
     WITH ORDINALITY AS u(c, s, o, n, h, ord)
"""

INSERT_OUTBOX = """
INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload, request_id)
SELECT gen_random_uuid(), %b, %b, %b, u.payload, %b FROM unnest(%b::bytea[]) AS u(payload)
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


@dataclass
class WriteState:
    """What a batch write reads before it writes, fetched in one pipelined round trip."""

    columns: list[tuple[Any, ...]]
    roster: set[uuid.UUID]
    head_position: int
    head_hash: bytes
    current: dict[tuple[uuid.UUID, uuid.UUID], tuple[str | None, int]]
    closed_sections: set[uuid.UUID]


async def read_for_write(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    column_ids: list[uuid.UUID],
) -> WriteState:
    """Columns, roster, the history-chain lock and the current cells of the batch's columns.

    The statements run in order on the server: the cells are read after the lock is granted, so they
    are the latest committed values and no other writer of this journal can change them before commit.
    """
    cursors = [conn.cursor(binary=True) for _ in range(5)]
    async with conn.pipeline():
        await cursors[4].execute(CLOSED_SECTIONS, (journal_id,))
        await cursors[0].execute(COLUMNS, (journal_id,))
        await cursors[1].execute(ROSTER, (group_id, subgroup_id, subgroup_id))
        await cursors[2].execute(LOCK_HEAD, (journal_id,))
        await cursors[3].execute(CURRENT_MARKS, (journal_id, column_ids))
    columns = await cursors[0].fetchall()
    roster = {r[0] for r in await cursors[1].fetchall()}
    head = await cursors[2].fetchone()
    if head is None:
        raise LookupError(f"journal {journal_id} has no history chain")
    current = {(r[0], r[1]): (r[2], int(r[3])) for r in await cursors[3].fetchall()}
    closed = {r[0] for r in await cursors[4].fetchall()}
    for cur in cursors:
        await cur.close()
    return WriteState(columns, roster, int(head[0]), bytes(head[1]), current, closed)


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
    shared: Change,
    first_position: int,
    previous_hash: bytes,
    column_ids: list[uuid.UUID],
    student_ids: list[uuid.UUID],
    old_values: list[str | None],
    new_values: list[str | None],
    hashes: list[bytes],
) -> None:
    """One row per change; the changes of a batch share journal, kind, author, on-behalf-of, reason,
    grant and time. Positions and previous hashes follow from the order (the chain is linear)."""
    async with conn.cursor() as cur:
        await cur.execute(
            INSERT_HISTORY,
            (
                uuid.UUID(shared.journal_id),
                first_position - 1,
                shared.kind,
                shared.author_id,
                shared.on_behalf_of_id,
                shared.reason,
                uuid.UUID(shared.grant_id) if shared.grant_id else None,
                shared.case_id,
                shared.recorded_at,
                previous_hash,
                column_ids,
                student_ids,
                old_values,
                new_values,
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
    payloads: list[bytes],
) -> None:
    async with conn.cursor() as cur:
        await cur.execute(INSERT_OUTBOX, (event_type, subject, at, request_id, payloads), prepare=True)


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
