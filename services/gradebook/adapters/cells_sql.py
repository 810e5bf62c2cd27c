"""Batch SQL for cells (marks, attendance) and their history rows: one statement per table per batch
(their outbox rows go through the platform's fast path, `UnitOfWork.queue_encoded`).

A batch's columns travel as one delimited text parameter each (binary protocol), split by
`string_to_array` on the server: psycopg dumps a Python list element by element, which for the
thousands of ids, values and hashes of a deadline-rush batch cost more than the database's own work.
Ids are canonical UUID text (as the database prints them), values are scale texts (never containing the
unit separator), an empty field is NULL; hashes travel as one concatenated bytea. Event payloads (a few
hundred bytes each) stay a bytea array, which measured faster than hex text for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from services.gradebook.adapters.idempotency_sql import CallKey, Stored
from services.gradebook.adapters.journals_sql import JOURNAL, JournalRow
from services.gradebook.adapters.pg import queue_begin, statement_cursor
from services.gradebook.domain.cell_batch import Cell, ColumnFacts
from services.gradebook.domain.history_chain import Change

ID_SEP = ","
VALUE_SEP = "\x1f"  # ASCII unit separator: never part of a scale's mark


def pack_ids(ids: Sequence[str]) -> str:
    return ID_SEP.join(ids)


def pack_values(values: Sequence[str | None]) -> str:
    """Values joined by the unit separator; None becomes the empty field, read back as NULL (a single
    empty field reads back as an empty array, which `unnest` pads with NULL just the same)."""
    packed = VALUE_SEP.join([v or "" for v in values])
    if packed.count(VALUE_SEP) != len(values) - 1:
        raise ValueError("a mark value contains the unit separator")
    return packed


IDS = "string_to_array(%b, ',')"
# Marks, attendance and history are partitioned by their journal's term (migration 0007): every
# statement names the term through the journal, so it reads or writes that term's partition only (the
# subquery is evaluated once, before the partitions are scanned: execution-time pruning).
TERM = "(SELECT term_id FROM journals WHERE journal_id = %b)"
# The journal's university (issue 18's routing key, migration 0008), supplied by the INSERT itself: the
# tables' fill trigger is `WHEN (NEW.university_id IS NULL)`, so it calls nothing on this path.
UNIVERSITY = "(SELECT university_id FROM journals WHERE journal_id = %b)"
VALUES = "string_to_array(%b, E'\\x1f', '')"

UPSERT_MARKS = f"""
INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, term_id,
                   university_id)
SELECT %b, u.c::uuid, u.s::uuid, u.v, u.n::int8, %b, %b, {TERM}, {UNIVERSITY}
FROM unnest({IDS}, {IDS}, {VALUES}, {IDS}) AS u(c, s, v, n)
ON CONFLICT (journal_id, column_id, student_id, term_id) DO UPDATE
SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by
"""

CURRENT_ATTENDANCE = f"""
SELECT a.student_id, a.status, a.version, a.source, a.checked_in_at
FROM attendance a WHERE a.journal_id = %b AND a.term_id = {TERM} AND a.column_id = %b
  AND a.student_id = ANY(%b::uuid[])
"""

UPSERT_ATTENDANCE = f"""
INSERT INTO attendance (journal_id, column_id, student_id, status, source, checked_in_at, version,
                        updated_at, updated_by, term_id, university_id)
SELECT %b, %b, u.s, u.st, u.src, u.at, u.n, %b, %b, {TERM}, {UNIVERSITY}
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::timestamptz[], %b::int8[]) AS u(s, st, src, at, n)
ON CONFLICT (journal_id, column_id, student_id, term_id) DO UPDATE
SET status = excluded.status, source = excluded.source, checked_in_at = excluded.checked_in_at,
    version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
"""

INSERT_HISTORY = """
INSERT INTO history (journal_id, position, kind, column_id, student_id, old_value, new_value, author_id,
                     on_behalf_of_id, reason, grant_id, case_id, recorded_at, prev_hash, hash, typed_at,
                     term_id, university_id)
SELECT %(journal)b, %(before)b + u.ord, %(kind)b, u.c::uuid, u.s::uuid, u.o, u.n, %(author)b, %(behalf)b,
       %(reason)b, %(grant)b, %(case)b, %(at)b,
       CASE WHEN u.ord = 1 THEN %(head)b
            ELSE substring(%(hashes)b FROM ((u.ord - 2) * 32 + 1)::int FOR 32) END,
       substring(%(hashes)b FROM ((u.ord - 1) * 32 + 1)::int FOR 32),
       (string_to_array(%(typed)b::text, ',', ''))[u.ord]::timestamptz,
       (SELECT term_id FROM journals WHERE journal_id = %(journal)b),
       (SELECT university_id FROM journals WHERE journal_id = %(journal)b)
FROM unnest(string_to_array(%(columns)b, ','), string_to_array(%(students)b, ','),
            string_to_array(%(olds)b, E'\\x1f', ''), string_to_array(%(news)b, E'\\x1f', ''))
     WITH ORDINALITY AS u(c, s, o, n, ord)
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


# Everything a batch write reads besides the chain lock, in ONE statement read after the lock: the
# journal's row (JOURNAL's select list), the batch's columns and the journal's intermediate-attestation
# columns (parallel arrays; KG-06's lock looks at those), the batch's students that are on the roster,
# the closed sections, the reply stored under the call's key (NULL key parts when there is no key: no
# row matches) and the current cells of the batch's columns. Only what the batch touches: a 25-cell
# save of a 60-column journal read every column and the whole roster before (docs/perf "Stop 33").
# One statement instead of six: each statement of a pipeline costs the server a bind and an executor
# start, and the client a cursor and a result to decode.
_JOURNAL_SELECT, _JOURNAL_FROM = JOURNAL.split("\nFROM journals j", 1)
assert _JOURNAL_FROM.strip() == (
    "LEFT JOIN course_units cu ON cu.course_unit_id = j.course_unit_id\nWHERE j.journal_id = %b"
)
WRITE_STATE = f"""{_JOURNAL_SELECT},
       c.ids, c.kinds, c.sections, c.controls, c.cancelled,
       ARRAY(SELECT DISTINCT e.student_id::text FROM enrollments e
             WHERE e.group_id = j.group_id AND e.until IS NULL
               AND (j.subgroup_id IS NULL OR e.subgroup_id = j.subgroup_id)
               AND e.student_id = ANY({IDS}::uuid[])),
       ARRAY(SELECT s.section_id::text FROM sections s
             WHERE s.journal_id = j.journal_id AND s.closed_at IS NOT NULL),
       k.request_hash, k.response,
       cur.columns, cur.students, cur.vals, cur.versions
FROM journals j LEFT JOIN course_units cu ON cu.course_unit_id = j.course_unit_id
LEFT JOIN LATERAL (
    SELECT array_agg(column_id::text) AS ids, array_agg(kind) AS kinds,
           array_agg(section_id::text) AS sections, array_agg(control_kind) AS controls,
           array_agg(cancelled) AS cancelled
    FROM columns WHERE journal_id = j.journal_id
      AND (column_id = ANY({IDS}::uuid[]) OR control_kind = 'intermediate_attestation')) c ON true
LEFT JOIN idempotency_keys k ON k.subject = %b AND k.operation = %b AND k.key = %b
LEFT JOIN LATERAL (
    SELECT array_agg(m.column_id::text) AS columns, array_agg(m.student_id::text) AS students,
           array_agg(m.value) AS vals, array_agg(m.version) AS versions
    FROM marks m
    WHERE m.journal_id = %b AND m.term_id = {TERM} AND m.column_id = ANY({IDS}::uuid[])) cur ON true
WHERE j.journal_id = %b
"""
_JOURNAL_FIELDS = len(JournalRow._fields)


@dataclass
class WriteState:
    """What a batch write reads before it writes, fetched in one pipelined round trip (ids as text)."""

    journal: JournalRow | None  # None: no such journal (the caller refuses it like someone else's)
    columns: dict[str, ColumnFacts]  # the batch's columns and the journal's intermediate attestations
    roster: set[str]  # the batch's students that are on the journal's roster
    head_position: int
    head_hash: bytes
    current: dict[tuple[str, str], tuple[str | None, int]]
    closed_sections: set[str]
    recalled: Stored | None = None  # the stored reply under the call's idempotency key, if any


async def read_for_write(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    cells: Sequence[Cell],
    recall: CallKey | None = None,
    *,
    begin: bool = False,
) -> WriteState:
    """The history-chain lock, then (WRITE_STATE) the journal's row (what access is decided on), the
    columns of the batch's `cells` (and the journal's attestation columns), which of their students
    are on its roster, its closed sections, the reply stored under the call's idempotency key and the
    current cells of the batch's columns: two statements, one round trip. They run in order on the
    server, each with its own snapshot: WRITE_STATE reads after the lock is granted, so a concurrent
    twin of this call that held the lock has committed its reply by then, and no other writer of this
    journal changes the cells before this transaction ends. Nothing read here is used before the
    caller has authorized on the journal. `begin`: the connection is in autocommit mode
    (pg.explicit_connection) and this round trip opens the transaction too."""
    key = (recall.subject, recall.operation, recall.key) if recall is not None else (None, None, None)
    lock = statement_cursor(conn, LOCK_HEAD, binary=True)
    # A new cursor for the state: a kept one would hold a large batch's current cells until its next use.
    async with conn.cursor(binary=True) as read:
        async with conn.pipeline():
            if begin:
                await queue_begin(conn)
            await lock.execute(LOCK_HEAD, (journal_id,))
            cols = pack_ids(_uuids(c.column_id for c in cells))
            students = pack_ids(_uuids(c.student_id for c in cells))
            await read.execute(WRITE_STATE, (students, cols, *key, journal_id, journal_id, cols, journal_id))
        head = await lock.fetchone()
        row = await read.fetchone()
    if row is None:
        return WriteState(None, {}, set(), 0, bytes(32), {}, set())
    if head is None:
        raise LookupError(f"journal {journal_id} has no history chain")
    (ids, kinds, sections, controls, cancelled, roster, closed, request_hash, response,
     m_columns, m_students, m_values, m_versions) = row[_JOURNAL_FIELDS:]  # fmt: skip
    columns = (
        {c: ColumnFacts(*f) for c, *f in zip(ids, kinds, sections, controls, cancelled, strict=True)}
        if ids
        else {}
    )
    current = (
        {(c, s): (v, int(n)) for c, s, v, n in zip(m_columns, m_students, m_values, m_versions, strict=True)}
        if m_columns
        else {}
    )
    found = recall is not None and request_hash is not None
    recalled = Stored(bytes(request_hash), bytes(response)) if found else None
    return WriteState(
        JournalRow(*row[:_JOURNAL_FIELDS]),
        columns,
        set(roster),
        int(head[0]),
        bytes(head[1]),
        current,
        set(closed),
        recalled,
    )


def _uuids(ids: Iterable[str]) -> list[str]:
    """The distinct ids of a batch (its columns, or its students) that can be ids at all: the others
    match no column and no roster entry anyway, and would not cast to uuid in WRITE_STATE."""
    found = []
    for id_ in dict.fromkeys(ids):
        try:
            uuid.UUID(id_)
        except ValueError:
            continue
        found.append(id_)
    return found


async def upsert_marks(
    conn: psycopg.AsyncConnection[Any],
    journal_id: uuid.UUID,
    at: datetime,
    by: str,
    column_ids: Sequence[str],
    student_ids: Sequence[str],
    values: Sequence[str | None],
    versions: Sequence[int],
) -> None:
    params = (
        journal_id,
        at,
        by,
        journal_id,
        journal_id,
        pack_ids(column_ids),
        pack_ids(student_ids),
        pack_values(values),
        ID_SEP.join(map(str, versions)),
    )
    cur = statement_cursor(conn, UPSERT_MARKS, cells=len(column_ids))
    await cur.execute(UPSERT_MARKS, params, prepare=True)


async def insert_history(
    conn: psycopg.AsyncConnection[Any],
    shared: Change,
    first_position: int,
    previous_hash: bytes,
    column_ids: Sequence[str],
    student_ids: Sequence[str],
    old_values: Sequence[str | None],
    new_values: Sequence[str | None],
    hashes: Sequence[bytes],
    typed_at: Sequence[datetime | None] | None = None,
) -> None:
    """One row per change; the changes of a batch share journal, kind, author, on-behalf-of, reason,
    grant and time. Positions and previous hashes follow from the order (the chain is linear).
    typed_at: each change's client time of typing (None: no cell of the batch has one)."""
    params = {
        "journal": uuid.UUID(shared.journal_id),
        "before": first_position - 1,
        "kind": shared.kind,
        "author": shared.author_id,
        "behalf": shared.on_behalf_of_id,
        "reason": shared.reason,
        "grant": uuid.UUID(shared.grant_id) if shared.grant_id else None,
        "case": shared.case_id,
        "at": shared.recorded_at,
        "head": previous_hash,
        "hashes": b"".join(hashes),
        "columns": pack_ids(column_ids),
        "students": pack_ids(student_ids),
        "olds": pack_values(old_values),
        "news": pack_values(new_values),
        # ISO instants joined by commas; an empty field is NULL (NULL for the whole batch when none).
        "typed": ",".join(at.isoformat() if at else "" for at in typed_at) if typed_at else None,
    }
    cur = statement_cursor(conn, INSERT_HISTORY, cells=len(column_ids))
    await cur.execute(INSERT_HISTORY, params, prepare=True)


WRITERS = f"""
SELECT m.column_id::text, m.student_id::text, m.updated_by, m.updated_at, coalesce(n.title, '')
FROM marks m
JOIN unnest({IDS}::uuid[], {IDS}::uuid[]) AS u(c, s) ON m.column_id = u.c AND m.student_id = u.s
LEFT JOIN names n ON n.kind = 'person' AND n.name_id::text = m.updated_by
WHERE m.journal_id = %b AND m.term_id = {TERM}
"""


@dataclass(frozen=True)
class Writer:
    author_id: str
    author_name: str  # empty when gradebook has no name for the person
    updated_at: datetime


async def writers_of(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, cells: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Writer]:
    """The last writer and time of each (column, student) mark cell that holds a value."""
    async with conn.cursor(binary=True) as cur:
        await cur.execute(
            WRITERS,
            (pack_ids([c for c, _ in cells]), pack_ids([s for _, s in cells]), journal_id, journal_id),
        )
        return {(r[0], r[1]): Writer(r[2], r[4], r[3]) for r in await cur.fetchall()}


async def update_head(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, position: int, hash_: bytes
) -> None:
    await statement_cursor(conn, UPDATE_HEAD).execute(UPDATE_HEAD, (position, hash_, journal_id))


ATTENDANCE_WRITERS = f"""
SELECT a.student_id, a.updated_by, a.updated_at, coalesce(n.title, '')
FROM attendance a LEFT JOIN names n ON n.kind = 'person' AND n.name_id::text = a.updated_by
WHERE a.journal_id = %b AND a.term_id = {TERM} AND a.column_id = %b AND a.student_id = ANY(%b::uuid[])
"""


async def attendance_writers_of(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, column_id: uuid.UUID, students: list[uuid.UUID]
) -> dict[uuid.UUID, Writer]:
    """The last writer and time of each student's attendance in a lesson (those that have one)."""
    async with conn.cursor(binary=True) as cur:
        await cur.execute(ATTENDANCE_WRITERS, (journal_id, journal_id, column_id, students))
        return {r[0]: Writer(r[1], r[3], r[2]) for r in await cur.fetchall()}


async def current_attendance(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, column_id: uuid.UUID, students: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, int, str, datetime | None]]:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(CURRENT_ATTENDANCE, (journal_id, journal_id, column_id, students))
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
        (
            journal_id,
            column_id,
            at,
            by,
            journal_id,
            journal_id,
            students,
            statuses,
            sources,
            checked_in,
            versions,
        ),
    )
