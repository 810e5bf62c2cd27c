"""Reading a journal with what decides access to it: its teachers (teaching load), the substitutes in
force on a day, and where it sits (faculty, department, group, course unit, university).

Every call of the service starts here, so the queries go straight to psycopg (binary, no ORM rows). The
journal's row can also be queued into a caller's pipeline (`queue_journal`), so a write reads it in the
same round trip as everything else it needs (see cells_sql.read_for_write).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

import psycopg

from services.gradebook.domain.access import Substitution, writers
from services.gradebook.domain.journal import JournalView

JOURNAL = """
SELECT j.journal_id, j.term_id, j.course_unit_id, j.group_id, j.subgroup_id, j.lesson_type, j.profile_code,
       j.department_id, j.faculty_id, j.locked_at, coalesce(cu.title, ''), coalesce(cu.kind, ''),
       cu.parent_id,
       ARRAY(SELECT DISTINCT t.teacher_id::text FROM journal_teachers t
             WHERE t.journal_id = j.journal_id AND t.active ORDER BY 1),
       (SELECT f.parent_id FROM names f WHERE f.name_id = j.faculty_id AND f.kind = 'faculty')
FROM journals j LEFT JOIN course_units cu ON cu.course_unit_id = j.course_unit_id
WHERE j.journal_id = %b
"""
JOURNALS = JOURNAL.replace("WHERE j.journal_id = %b", "WHERE j.journal_id = ANY(%b)")

SUBSTITUTIONS = """
SELECT absent_teacher_id::text, substitute_id::text, starts_on, ends_on, journal_ids::text[],
       course_unit_ids::text[]
FROM substitutions WHERE absent_teacher_id::text = ANY(%b::text[]) AND %b::date BETWEEN starts_on AND ends_on
"""

ROSTER = """
SELECT DISTINCT ON (e.student_id) e.student_id, e.subgroup_id FROM enrollments e
WHERE e.group_id = %b AND e.until IS NULL AND (%b::uuid IS NULL OR e.subgroup_id = %b::uuid)
ORDER BY e.student_id
"""


class JournalRow(NamedTuple):
    """The journal's row as JOURNAL reads it."""

    journal_id: uuid.UUID
    term_id: uuid.UUID
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    lesson_type: str
    profile_code: str
    department_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    locked_at: Any
    title: str
    course_unit_kind: str
    parent_id: uuid.UUID | None
    teacher_ids: list[str]
    university_id: uuid.UUID | None


async def queue_journal(cursor: psycopg.AsyncCursor[Any], journal_id: uuid.UUID) -> None:
    """Send JOURNAL on `cursor` (inside the caller's pipeline); read it back with `journal_row`."""
    await cursor.execute(JOURNAL, (journal_id,))


async def journal_row(cursor: psycopg.AsyncCursor[Any]) -> JournalRow | None:
    row = await cursor.fetchone()
    return None if row is None else JournalRow(*row)


def needs_substitutions(row: JournalRow, for_subject: str | None) -> bool:
    """Substitutions matter unless the caller is one of the journal's own teachers (the hot path of a
    teacher's write needs no second query)."""
    return bool(row.teacher_ids) and (for_subject is None or for_subject not in row.teacher_ids)


async def substitutions_for(
    conn: psycopg.AsyncConnection[Any], teacher_ids: list[str], day: date
) -> list[Substitution]:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(SUBSTITUTIONS, (teacher_ids, day))
        return [
            Substitution(r[0], r[1], r[2], r[3], frozenset(r[4]), frozenset(r[5]))
            for r in await cur.fetchall()
        ]


def journal_view(row: JournalRow, substitutions: list[Substitution], day: date) -> JournalView:
    teachers = tuple(row.teacher_ids)
    return JournalView(
        journal_id=row.journal_id,
        term_id=row.term_id,
        course_unit_id=row.course_unit_id,
        group_id=row.group_id,
        subgroup_id=row.subgroup_id,
        lesson_type=row.lesson_type,
        profile_code=row.profile_code,
        department_id=row.department_id,
        faculty_id=row.faculty_id,
        locked_at=row.locked_at,
        title=row.title,
        course_unit_kind=row.course_unit_kind,
        parent_id=row.parent_id,
        teacher_ids=teachers,
        writers=writers(teachers, substitutions, str(row.journal_id), str(row.course_unit_id), day),
        university_id=row.university_id,
    )


async def complete(
    conn: psycopg.AsyncConnection[Any], row: JournalRow, day: date, for_subject: str | None
) -> JournalView:
    """The journal view from its row, reading the substitutions in force on `day` when they matter."""
    subs = (
        await substitutions_for(conn, row.teacher_ids, day) if needs_substitutions(row, for_subject) else []
    )
    return journal_view(row, subs, day)


async def fetch_journal(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, day: date, for_subject: str | None
) -> JournalView | None:
    async with conn.cursor(binary=True) as cur:
        await queue_journal(cur, journal_id)
        row = await journal_row(cur)
    return None if row is None else await complete(conn, row, day, for_subject)


async def fetch_journals(
    conn: psycopg.AsyncConnection[Any], journal_ids: list[uuid.UUID], day: date
) -> list[JournalView]:
    """Several journals at once, in the order asked (missing ones left out): two round trips however
    many there are (the journals with their teachers, then the substitutions of all those teachers)."""
    if not journal_ids:
        return []
    async with conn.cursor(binary=True) as cur:
        await cur.execute(JOURNALS, (journal_ids,))
        rows = {r[0]: JournalRow(*r) for r in await cur.fetchall()}
    teachers = sorted({t for row in rows.values() for t in row.teacher_ids})
    subs = await substitutions_for(conn, teachers, day) if teachers else []
    return [journal_view(rows[j], subs, day) for j in journal_ids if j in rows]


async def fetch_roster(
    conn: psycopg.AsyncConnection[Any], group_id: uuid.UUID, subgroup_id: uuid.UUID | None
) -> dict[uuid.UUID, uuid.UUID | None]:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(ROSTER, (group_id, subgroup_id, subgroup_id))
        return {r[0]: r[1] for r in await cur.fetchall()}
