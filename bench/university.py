"""university_grid_p99_ms: the portal's 30 x 60 grid read through the gateway from a database holding a
whole university's year (bench/seed.py at EJOURNAL_BENCH_UNIVERSITY, default 1.0: 21.6 M marks and
21.6 M history entries, written with COPY), against the raw indexed read of the same rows at that size.
The same reads on a small database (1 % of it) run in the same process right before, so the figure can
be compared with itself. Targets: <= 2 x raw + 5 ms, and within 1.5 x the small database's figure.

It takes minutes (the seed alone is ~7 minutes here at 1.0); EXPLAIN (ANALYZE, BUFFERS) of the hot
queries at this size (bench/explain.py: the service's own SQL) is printed at the end (docs/explain.md
keeps one).
"""

from __future__ import annotations

import asyncio
import os

import psycopg

from bench.explain import explain_hot_queries
from bench.gateway import grid_reads, prepare
from bench.harness import servers
from bench.profiling import postmaster_pid
from bench.report import figure, percentile, size
from bench.seed import UniversitySize
from bench.services import gateway_stack


async def p99_of(factor: float, reads: int) -> tuple[float, float, str, UniversitySize]:
    university = UniversitySize.scaled(factor)
    with servers() as s:
        gradebook, curriculum, (seeded,) = prepare(s, "university", [(university, 19)])
        with gateway_stack(gradebook, curriculum) as stack:
            # The first term's journals: the ones whose rows are spread furthest by the second term.
            ours_ms, raw_ms = await grid_reads(
                stack, gradebook, curriculum, seeded.graded, reads, f"university-{factor:g}",
                postmaster_pid(s.postgres.data_dir),
            )  # fmt: skip
        journal = seeded.graded[len(seeded.graded) // 3]
        async with await psycopg.AsyncConnection.connect(gradebook, autocommit=True) as conn:
            plans = [await explain_hot_queries(conn, journal)]
            sizes = await (
                await conn.execute(
                    "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ')"
                    " FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                    " AND (relname IN ('marks', 'history', 'columns', 'journals', 'enrollments')"
                    " OR relname ~ '^(marks|history)_[0-9a-f]{32}$')"
                )
            ).fetchone()
            plans.append(f"-- sizes (with indexes): {sizes[0] if sizes else ''}")
    return percentile(ours_ms, 99), percentile(raw_ms, 99), "\n".join(plans), university


async def measure() -> None:
    factor = float(os.environ.get("EJOURNAL_BENCH_UNIVERSITY", "1.0")) if size(1, 0) else 0.004
    reads = size(400, 10)
    small_ours, small_raw, _, small = await p99_of(factor / 100, reads)
    print(
        f"small database ({small.marks:,} marks): p99 {small_ours:.1f} ms, raw {small_raw:.1f} ms", flush=True
    )
    ours, raw, plans, university = await p99_of(factor, reads)
    print(f"university database ({university.marks:,} marks with as many history entries)", flush=True)
    figure("university_grid_p99_ms", ours, raw, "ms", higher_is_better=False)
    print(
        f"  target <= 2 x raw + 5 ms = {2 * raw + 5:.1f} ms: {'met' if ours <= 2 * raw + 5 else 'NOT met'};"
        f" against the small database: {ours / small_ours:.2f} x (target <= 1.5 x)",
        flush=True,
    )
    print(plans, flush=True)


def main() -> None:
    asyncio.run(measure())
