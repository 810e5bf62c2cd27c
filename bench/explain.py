"""EXPLAIN (ANALYZE, BUFFERS) of the gradebook's hot queries, exactly as the service sends them (its own
SQL constants), on a seeded database: the grid read, a batch save's statements, the /my/journals page
and a cell's history. bench/university.py prints them at a whole university's size (docs/explain.md
keeps one run). The writes run in a transaction that is rolled back.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench.seed import Journal
from services.gradebook.adapters import cells_sql, grid_sql, reads_sql


def _positional(sql: str) -> str:
    """The service's binary placeholders (%b) as psycopg's %s (EXPLAIN sends the same parameters)."""
    return sql.replace("%b", "%s")


def _named(sql: str) -> str:
    """A SQLAlchemy text() query's :name parameters as psycopg's %(name)s."""
    return re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", sql)


async def explain_hot_queries(conn: psycopg.AsyncConnection[Any], journal: Journal) -> str:
    """The plans, each under a heading; `journal` is a filled 30 x 60 journal of the seeded database."""
    j = journal.journal_id
    found = await (
        await conn.execute(
            "SELECT column_id::text, array_agg(student_id::text ORDER BY student_id) FROM marks"
            " WHERE journal_id = %s AND term_id = %s GROUP BY 1 ORDER BY 1 LIMIT 1",
            (j, journal.term_id),
        )
    ).fetchone()
    assert found is not None, "the journal has no marks"
    column, students = found[0], list(found[1])[:25]
    now = datetime.now(UTC)
    head_sql = "SELECT position FROM chain_heads WHERE journal_id = %s"
    head = await (await conn.execute(head_sql, (j,))).fetchone()
    position = int(head[0]) if head else 0
    history = {
        "journal": j, "before": position, "kind": "mark", "author": "bench", "behalf": None,
        "reason": None, "grant": None, "case": None, "at": now, "head": bytes(32),
        "hashes": bytes(32) * len(students), "columns": ",".join([column] * len(students)),
        "students": ",".join(students), "olds": "\x1f".join("1" for _ in students),
        "news": "\x1f".join("2" for _ in students), "typed": None,
    }  # fmt: skip
    queries: list[tuple[str, str, Any]] = [
        ("grid: marks of the journal", _positional(grid_sql.MARKS), (j, j)),
        ("grid: attendance of the journal", _positional(grid_sql.ATTENDANCE), (j, j)),
        ("grid: columns of the journal", _positional(grid_sql.COLUMNS), (j,)),
        ("grid: roster of the journal's group", _positional(grid_sql.ROSTER), (j,)),
        (
            "batch save: what it reads after the chain lock (journal, the batch's columns and students,"
            " closed sections, idempotency key, current cells of the batch's columns)",
            _positional(cells_sql.WRITE_STATE),
            (",".join(students), column, "bench", "WriteMarks", "explain", j, j, column, j),
        ),
        (
            "batch save: upsert of 25 marks",
            _positional(cells_sql.UPSERT_MARKS),
            (
                j,
                now,
                "bench",
                j,  # the term, through the journal
                j,  # the university, through the journal
                ",".join([column] * len(students)),
                ",".join(students),
                "\x1f".join("3" for _ in students),
                ",".join("2" for _ in students),
            ),
        ),
        ("batch save: 25 history entries", cells_sql.INSERT_HISTORY.replace(")b", ")s"), history),
        (
            "/my/journals: the teacher's journals (first page)",
            _named(str(reads_sql.MY_JOURNALS)),
            {"me": journal.teacher_id, "today": now.date(), "term": None, "after": None, "fetch": 51},
        ),
        (
            "history of a cell (the portal's cell dialog)",
            "SELECT * FROM history WHERE journal_id = %s AND term_id = %s AND column_id = %s"
            " AND student_id = %s ORDER BY position",
            (j, journal.term_id, uuid.UUID(column), uuid.UUID(students[0])),
        ),
    ]
    plans = []
    async with conn.transaction(force_rollback=True):
        for title, sql, params in queries:
            rows = await (await conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)).fetchall()
            plans.append(f"-- {title}\n" + "\n".join(str(r[0]) for r in rows))
    return "\n\n".join(plans)
