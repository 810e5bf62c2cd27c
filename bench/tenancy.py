"""`python -m bench tenancy`: what the `university_id` copies (issue 18) cost on the hottest insert
paths they sit on.

1. Reporting's `rm_mark`, one row per mark, whose trigger reads the mark's journal. Raw: the same
   inserts into the same table with its trigger disabled (the column left NULL).
2. The gradebook's mark save: the service's batch upsert, which names the journal's university
   itself, against the same upsert before migration 0008 (no university, the
   fill trigger disabled); and, to show what the trigger's `WHEN (NEW.university_id IS NULL)` spares
   the service, the old upsert with the trigger filling every row.

Rounds alternate which goes first, so the machine's load falls on both; each figure is the median round.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, text

from bench import report
from bench.harness import Servers, servers
from services.gradebook.adapters.cells_sql import ID_SEP, UNIVERSITY, UPSERT_MARKS, pack_ids, pack_values

JOURNALS = 200


def _round(engine: Engine, rows: list[dict[str, str]], trigger: bool) -> float:
    with engine.begin() as conn:
        verb = "ENABLE" if trigger else "DISABLE"
        conn.execute(text(f"ALTER TABLE rm_mark {verb} TRIGGER rm_mark_fill_university_id"))
        start = time.perf_counter()
        conn.execute(
            text("INSERT INTO rm_mark (journal_id, column_id, student_id, value) VALUES (:j, :c, :s, '5')"),
            rows,
        )
        return time.perf_counter() - start


def main() -> None:
    with servers() as s:
        reporting_figure(s)
        gradebook_figures(s)


def reporting_figure(s: Servers) -> None:
    n, rounds = report.size(20_000, 500), report.size(5, 1)
    engine = create_engine(s.database("bench_tenancy", "reporting"))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO rm_structure_unit (unit_id, kind, parent_id, defined_at)"
                " VALUES ('u', 'university', '', now()), ('f', 'faculty', 'u', now())"
            )
        )
        conn.execute(
            text(
                "INSERT INTO rm_journal (journal_id, faculty_id)"
                f" SELECT 'j' || g, 'f' FROM generate_series(1, {JOURNALS}) g"
            )
        )
    timings: dict[bool, list[float]] = {True: [], False: []}
    for number in range(rounds):
        for trigger in (True, False) if number % 2 == 0 else (False, True):
            rows = [{"j": f"j{i % JOURNALS + 1}", "c": str(uuid.uuid4()), "s": f"s{i}"} for i in range(n)]
            timings[trigger].append(_round(engine, rows, trigger))
    with engine.connect() as conn:
        filled = conn.execute(text("SELECT count(university_id) FROM rm_mark")).scalar_one()
    assert filled == n * rounds, "every row inserted with the trigger on has its university"
    engine.dispose()
    ours, raw = report.median(timings[True]), report.median(timings[False])
    report.figure(f"rm_mark inserts of {n:,} rows, rows/s", n / ours, n / raw, "rows/s")


# -- the gradebook's mark save ---------------------------------------------------------------------
GRADEBOOK_JOURNALS = 50
CELLS = 30  # one lesson's column of a group: one save call
TRIGGER = "marks_fill_university_id"


def before_0008() -> str:
    """The service's upsert as it was before migration 0008: the same statement without the university."""
    old = UPSERT_MARKS.replace(",\n                   university_id)", ")").replace(f", {UNIVERSITY}", "")
    if "university_id" in old:
        raise RuntimeError("cells_sql.UPSERT_MARKS changed shape: update before_0008()")
    return old


WAYS = ("ours", "raw", "filled")


def _setup(conn: psycopg.Connection[Any]) -> tuple[uuid.UUID, list[uuid.UUID]]:
    university, faculty, term = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    conn.execute(
        "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
        " VALUES (%s, 'faculty', 'F', %s, now())",
        (faculty, university),
    )
    journals = [uuid.uuid4() for _ in range(GRADEBOOK_JOURNALS)]
    for journal in journals:  # the journals' trigger makes the term's partitions and places each journal
        conn.execute(
            "INSERT INTO journals (journal_id, term_id, course_unit_id, group_id, lesson_type, profile_code,"
            " faculty_id)"
            " VALUES (%s, %s, gen_random_uuid(), gen_random_uuid(), 'practical', 'kz-medical', %s)",
            (journal, term, faculty),
        )
    return university, journals


def _gradebook_round(
    conn: psycopg.Connection[Any], way: str, journals: list[uuid.UUID], batches: int
) -> float:
    conn.execute(f"ALTER TABLE marks {'DISABLE' if way == 'raw' else 'ENABLE'} TRIGGER {TRIGGER}")
    conn.commit()
    statement = UPSERT_MARKS if way == "ours" else before_0008()
    at, students = datetime.now(UTC), [str(uuid.uuid4()) for _ in range(CELLS)]
    work = []
    for b in range(batches):
        journal, column = journals[b % GRADEBOOK_JOURNALS], str(uuid.uuid4())
        cells = (
            pack_ids([column] * CELLS),
            pack_ids(students),
            pack_values(["5"] * CELLS),
            ID_SEP.join(["1"] * CELLS),
        )
        journal_params: tuple[Any, ...] = (journal, journal) if way == "ours" else (journal,)
        work.append((journal, at, "bench", *journal_params, *cells))
    with conn.cursor() as cur:
        start = time.perf_counter()
        for params in work:
            cur.execute(statement, params, prepare=True)
        elapsed = time.perf_counter() - start
    conn.commit()
    return elapsed


def gradebook_figures(s: Servers) -> None:
    batches, rounds = report.size(200, 20), report.size(15, 1)  # short rounds: less load drift
    url = s.database("bench_tenancy_gradebook", "gradebook").replace("postgresql+psycopg://", "postgresql://")
    timings: dict[str, list[float]] = {way: [] for way in WAYS}
    with psycopg.connect(url) as conn:
        university, journals = _setup(conn)
        conn.commit()
        for number in range(rounds):
            for k in range(len(WAYS)):
                way = WAYS[(number + k) % len(WAYS)]
                timings[way].append(_gradebook_round(conn, way, journals, batches))
        placed = conn.execute(
            "SELECT count(*) FILTER (WHERE university_id = %s), count(*) FILTER (WHERE university_id IS NULL)"
            " FROM marks",
            (university,),
        ).fetchone()
    per_way = batches * CELLS * rounds
    assert placed == (2 * per_way, per_way), f"ours and filled place every mark, raw none: {placed}"
    ours, raw, filled = (report.median(timings[way]) for way in WAYS)
    cells = batches * CELLS
    report.figure(
        f"gradebook marks upsert, {CELLS}-cell batches, cells/s", cells / ours, cells / raw, "cells/s"
    )
    report.figure(
        "  the same, filled by the trigger instead, cells/s", cells / filled, cells / raw, "cells/s"
    )
