"""Reading a whole journal grid in one pipelined round trip, ids as text straight from PostgreSQL
(binary protocol: no UUID objects to build and format again in Python).

The journal's own row (what decides access) travels in the same pipeline: every grid query is by the
journal's id, so nothing waits on it. The caller decides access from that row before anything read
here leaves the service; a refused caller's grid rows are read and dropped, which costs a refusal a
little and saves every allowed read a round trip (docs/perf/README.md, "Grid reads")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import psycopg

from services.gradebook.adapters.journals_sql import JournalRow, journal_row, queue_journal

SECTIONS = """
SELECT s.section_id::text, s.control_kind, s.date, s.closing_deadline, s.closed_at, s.closed_by,
       s.statement_id::text,
       (SELECT g.case_id FROM reopen_grants g
        WHERE g.journal_id = s.journal_id AND g.section_id = s.section_id
          AND g.ended_at IS NULL AND g.expires_at > %b LIMIT 1)
FROM sections s WHERE s.journal_id = %b ORDER BY s.date, s.section_id
"""
# The group's current students through the journal (its subgroup's only, for a subgroup's journal).
ROSTER = """
SELECT DISTINCT e.student_id::text, e.subgroup_id::text
FROM journals j JOIN enrollments e ON e.group_id = j.group_id
WHERE j.journal_id = %b AND e.until IS NULL AND (j.subgroup_id IS NULL OR e.subgroup_id = j.subgroup_id)
ORDER BY 1
"""
COLUMNS = """
SELECT column_id::text, kind, date, starts_at, topic, number, section_id::text, control_kind, lesson_type
FROM columns WHERE journal_id = %b AND NOT cancelled ORDER BY date, starts_at, column_id
"""
# The term's partition only (see cells_sql.TERM): each journal id is sent twice.
MARKS = """
SELECT column_id::text, student_id::text, value, version FROM marks
WHERE journal_id = %b AND term_id = (SELECT term_id FROM journals WHERE journal_id = %b)
"""
ATTENDANCE = """
SELECT column_id::text, student_id::text, status, version, source, checked_in_at
FROM attendance WHERE journal_id = %b AND term_id = (SELECT term_id FROM journals WHERE journal_id = %b)
"""


@dataclass(frozen=True)
class GridSection:
    section_id: str
    control_kind: str
    date: date
    closing_deadline: datetime | None
    closed_at: datetime | None
    closed_by: str | None
    statement_id: str | None
    open_case_id: str | None


class RosterRow(NamedTuple):
    student_id: str
    subgroup_id: str | None


class ColumnRow(NamedTuple):
    column_id: str
    kind: str
    date: date
    starts_at: str
    topic: str
    number: int
    section_id: str | None
    control_kind: str | None
    lesson_type: str


# A grid's cells stay the plain tuples psycopg builds: 7,100 of them in a 100 x 71 grid, where a named
# row per cell costs more than the cells' encoding (grid_json.py, grid_wire.py read them by unpacking).
MarkRow = tuple[str, str, str | None, int]  # column_id, student_id, value, version
# column_id, student_id, status, version, source, checked_in_at
AttendanceRow = tuple[str, str, str, int, str, datetime | None]
STUDENT = 1  # the position of student_id in a MarkRow and an AttendanceRow


@dataclass
class GridRows:
    sections: list[GridSection]
    students: list[RosterRow]
    columns: list[ColumnRow]
    marks: list[MarkRow]
    attendance: list[AttendanceRow]

    def only_of(self, students: set[str]) -> None:
        """Keep only these students' rows (a student's or a parent's own)."""
        self.students = [s for s in self.students if s.student_id in students]
        self.marks = [m for m in self.marks if m[STUDENT] in students]
        self.attendance = [a for a in self.attendance if a[STUDENT] in students]


async def read_grid(
    conn: psycopg.AsyncConnection[Any], journal_id: uuid.UUID, now: datetime
) -> tuple[JournalRow | None, GridRows]:
    """The journal's row (None: no such journal) and its grid, in one round trip."""
    cursors = [conn.cursor(binary=True) for _ in range(6)]
    async with conn.pipeline():
        await queue_journal(cursors[0], journal_id)
        await cursors[1].execute(SECTIONS, (now, journal_id))
        await cursors[2].execute(ROSTER, (journal_id,))
        await cursors[3].execute(COLUMNS, (journal_id,))
        await cursors[4].execute(MARKS, (journal_id, journal_id))
        await cursors[5].execute(ATTENDANCE, (journal_id, journal_id))
    journal = await journal_row(cursors[0])
    sections, roster, columns, marks, attendance = [await cur.fetchall() for cur in cursors[1:]]
    for cur in cursors:
        await cur.close()
    return journal, GridRows(
        [GridSection(*r) for r in sections],
        [RosterRow(*r) for r in roster],
        [ColumnRow(*r) for r in columns],
        marks,
        attendance,
    )
