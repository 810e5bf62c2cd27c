"""`python -m bench routing`: what it costs when a journal's faculty arrives late and its record learns
its university (gradebook migration 0009, issue 18).

A journal written before its faculty was placed: STUDENTS x COLUMNS marks, as many attendance rows and
as many history entries, all with university_id NULL. Ours: the faculty's `names` row arrives; its
trigger places the journal, whose trigger routes every row of its record (one partition of each table,
by its primary key's prefix; the other tables through their partial indexes of unrouted rows), through
the guards' one exception. Raw: the faculty's row arriving with the routing trigger off, and the same
rows rewritten by bare UPDATEs with every trigger off (what any rewrite of them costs). Every journal
shares one term, so each round's partition also holds the earlier rounds' rows. Rounds alternate which
goes first, so the machine's load falls on both; each figure is the median round.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import psycopg

from bench import report
from bench.harness import servers

STUDENTS, COLUMNS = 30, 70  # one group's journal over a term
RECORD = ("marks", "attendance", "history")

ROWS = {
    "marks": "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by,"
    " term_id) SELECT %(j)s, c.id, s.id, '5', 1, now(), 'bench', %(t)s FROM cols c, studs s",
    "attendance": "INSERT INTO attendance (journal_id, column_id, student_id, status, source, version,"
    " updated_at, updated_by, term_id) SELECT %(j)s, c.id, s.id, 'present', 'teacher', 1, now(), 'bench',"
    " %(t)s FROM cols c, studs s",
    "history": "INSERT INTO history (journal_id, position, kind, column_id, student_id, new_value, author_id,"
    " recorded_at, prev_hash, hash, term_id) SELECT %(j)s, row_number() OVER (), 'mark', c.id, s.id, '5',"
    " 'bench', now(), '\\x00', '\\x00', %(t)s FROM cols c, studs s",
}


def _unplaced_journal(conn: psycopg.Connection[Any], term: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """A journal of an unknown faculty with its whole record written; returns (journal, faculty)."""
    journal, faculty = uuid.uuid4(), uuid.uuid4()
    conn.execute(
        "INSERT INTO journals (journal_id, term_id, course_unit_id, group_id, lesson_type, profile_code,"
        " faculty_id) VALUES (%s, %s, gen_random_uuid(), gen_random_uuid(), 'practical', 'kz-medical', %s)",
        (journal, term, faculty),
    )
    conn.execute(
        f"CREATE TEMP TABLE cols AS SELECT gen_random_uuid() AS id FROM generate_series(1, {COLUMNS})"
    )
    conn.execute(
        f"CREATE TEMP TABLE studs AS SELECT gen_random_uuid() AS id FROM generate_series(1, {STUDENTS})"
    )
    for statement in ROWS.values():
        conn.execute(statement, {"j": journal, "t": term})
    conn.execute("DROP TABLE cols, studs")
    conn.commit()
    return journal, faculty


def _faculty_arrives(conn: psycopg.Connection[Any], faculty: uuid.UUID, university: uuid.UUID) -> None:
    conn.execute(
        "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
        " VALUES (%s, 'faculty', 'F', %s, now())",
        (faculty, university),
    )


def _round(conn: psycopg.Connection[Any], way: str, term: uuid.UUID) -> float:
    journal, faculty = _unplaced_journal(conn, term)
    university = uuid.uuid4()
    if way == "raw":
        conn.execute("ALTER TABLE journals DISABLE TRIGGER journals_route_record")
        conn.commit()
    start = time.perf_counter()
    _faculty_arrives(conn, faculty, university)
    if way == "raw":
        conn.execute("SET LOCAL session_replication_role = replica")  # every user trigger off
        for table in RECORD:
            conn.execute(
                f"UPDATE {table} SET university_id = %s WHERE term_id = %s AND journal_id = %s",
                (university, term, journal),
            )
    conn.commit()
    elapsed = time.perf_counter() - start
    if way == "raw":
        conn.execute("ALTER TABLE journals ENABLE TRIGGER journals_route_record")
        conn.commit()
    for table in RECORD:
        row = conn.execute(
            f"SELECT count(*) FILTER (WHERE university_id = %s), count(*) FROM {table} WHERE journal_id = %s",
            (university, journal),
        ).fetchone()
        assert row is not None and row[0] == row[1] == STUDENTS * COLUMNS, (way, table, row)
    return elapsed


def main() -> None:
    rounds = report.size(21, 1)
    rows = STUDENTS * COLUMNS * len(RECORD)
    timings: dict[str, list[float]] = {"ours": [], "raw": []}
    with servers() as s:
        url = s.database("bench_routing", "gradebook").replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as conn:
            term = uuid.uuid4()
            for number in range(rounds):
                for way in ("ours", "raw") if number % 2 == 0 else ("raw", "ours"):
                    timings[way].append(_round(conn, way, term))
    ours, raw = report.median(timings["ours"]), report.median(timings["raw"])
    report.figure(
        f"a late faculty routes its journal's record ({rows:,} rows: marks, attendance, history), rows/s",
        rows / ours,
        rows / raw,
        "rows/s",
    )
