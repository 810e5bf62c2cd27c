"""A/B of how a grid's mark cells reach the gradebook (docs/perf/README.md, "Grid reads (lane grid2)"):
rows fetched by psycopg and encoded in Python (grid_wire.mark_cells, before) against one bytea encoded
by PostgreSQL (grid_cells_sql.py, now), on the same 100 x 71 and 30 x 60 journals, interleaved so both
see the same load. Prints per read: the fastest and median time, and the CPU of this process and of
its PostgreSQL backend (from /proc; CPU hardly depends on the machine's load, unlike time).

`python -m bench.grid_cells` (not part of `python -m bench`: an A/B of one change, not a figure)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg

from bench.harness import servers
from bench.profiling import cpu_seconds
from bench.report import percentile, size
from bench.seed import Journal, UniversitySize, seed_university
from services.gradebook.adapters import grid_wire
from services.gradebook.adapters.grid_sql import MARKS

ROWS = """
SELECT column_id::text, student_id::text, value, version FROM marks
WHERE journal_id = %b AND term_id = (SELECT term_id FROM journals WHERE journal_id = %b)
"""


async def in_python(conn: psycopg.AsyncConnection[Any], journal: Journal) -> bytes:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(ROWS, (journal.journal_id, journal.journal_id))
        return grid_wire.mark_cells(await cur.fetchall())


async def in_postgres(conn: psycopg.AsyncConnection[Any], journal: Journal) -> bytes:
    async with conn.cursor(binary=True) as cur:
        await cur.execute(MARKS, (journal.journal_id, journal.journal_id))
        found = await cur.fetchone()
        return bytes(found[0]) if found and found[0] is not None else b""


async def compare(url: str, label: str, journals: list[Journal], rounds: int) -> None:
    ways = {"python": in_python, "postgres": in_postgres}
    ms: dict[str, list[float]] = {w: [] for w in ways}
    cpu = {w: [0.0, 0.0] for w in ways}  # this process, its backend
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        backend = (await (await conn.execute("SELECT pg_backend_pid()")).fetchone() or (0,))[0]
        for journal in journals:  # warm: plans, pages
            assert len(await in_python(conn, journal)) == len(await in_postgres(conn, journal))
        for n in range(rounds):
            for journal in journals:
                order = list(ways) if n % 2 == 0 else list(reversed(ways))
                for way in order:
                    c0, b0, t0 = time.process_time(), cpu_seconds(backend, False), time.perf_counter()
                    await ways[way](conn, journal)
                    t1, c1, b1 = time.perf_counter(), time.process_time(), cpu_seconds(backend, False)
                    ms[way].append((t1 - t0) * 1000)
                    cpu[way][0] += c1 - c0
                    cpu[way][1] += b1 - b0
    reads = rounds * len(journals)
    for way in ways:
        print(
            f"  {label} cells encoded in {way}: min {min(ms[way]):.2f} ms,"
            f" p50 {percentile(ms[way], 50):.2f} ms;"
            f" CPU per read: client {cpu[way][0] / reads * 1000:.2f} ms,"
            f" postgres {cpu[way][1] / reads * 1000:.2f} ms",
            flush=True,
        )


async def measure() -> None:
    small = UniversitySize(groups=size(4, 1), teachers=size(8, 2), other_per_group=0, graded_per_group=2)
    big = UniversitySize(groups=size(4, 1), students_per_group=100, terms=1, graded_per_group=2,
                         graded_columns=71, other_per_group=0)  # fmt: skip
    with servers() as s:
        for label, university in (("30x60", small), ("100x71", big)):
            url = s.database(f"cells_{label}", service="gradebook").replace(
                "postgresql+psycopg://", "postgresql://"
            )
            seeded = seed_university(url, university, seed=71)
            await compare(url, label, seeded.graded[:4], size(50, 2))


def main() -> None:
    asyncio.run(measure())


if __name__ == "__main__":
    main()
