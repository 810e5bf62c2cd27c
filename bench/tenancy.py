"""`python -m bench tenancy`: what the `university_id` triggers (issue 18) cost on the hottest insert
path they sit on: reporting's `rm_mark`, one row per mark, whose trigger reads the mark's journal.

Raw: the same inserts into the same table with its trigger disabled (the column left NULL). Rounds
alternate which goes first, so the machine's load falls on both; the figure is the median round.
"""

from __future__ import annotations

import time
import uuid

from sqlalchemy import Engine, create_engine, text

from bench import report
from bench.harness import servers

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
    n, rounds = report.size(20_000, 500), report.size(5, 1)
    with servers() as s:
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
