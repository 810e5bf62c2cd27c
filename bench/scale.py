"""docs/scale.md's simulation: what a teacher's grid read and batch save cost as one gradebook database
holds 1x, 10x and 100x the data (the shared-database question: does one university's call get slower
when the database also holds 99 others' marks?).

For each size, a fresh gradebook database is filled by bench/seed.py (COPY; marks with their history
hash chain, written lesson by lesson across all journals, as a term fills them) with
`UniversitySize.scaled(BASE * n)`; then, through the real GradebookServicer over gRPC (token check,
authorization, per-cell versions, history chain, outbox):
- grid read: GetJournalGrid of a filled 30 x 60 journal, against the raw `SELECT ... FROM marks WHERE
  journal_id = $1` of another filled journal of the same database;
- batch save: WriteMarks of one lesson's column (30 students, every cell already marked: a correction
  round) against the raw counterpart on the same scaled `marks` table (one unnest upsert, plus a history
  and an outbox insert into plain tables).
Journals are picked at random, both sides interleaved, so both see the same cache state and load.

`python -m bench scale [--base 0.002] [--sizes 1,10,100] [--reads 200] [--saves 60]`
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import grpc
import psycopg
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.gradebook import statements
from bench.harness import servers
from bench.raw_writes import RAW_HISTORY, RAW_OUTBOX, RAW_TABLES
from bench.report import figure, percentile
from bench.seed import Journal, UniversitySize, seed_university
from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.db import make_engine
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.logging import configure_logging
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.tokens import TestTokens
from services.gradebook.adapters import tables
from services.gradebook.adapters.classroom_secrets import StaticClassroomSecrets
from services.gradebook.entrypoints.grpc_api import GradebookServicer
from services.gradebook.service_layer.context import Gradebook

SERVICE = pb.DESCRIPTOR.services_by_name["GradebookService"].full_name
# The raw read knows the journal's term: its partition (marks are partitioned by term).
RAW_GRID = "SELECT column_id, student_id, value, version FROM marks WHERE journal_id = %b AND term_id = %b"
# The raw save writes the same marks table as ours, so both pay for its size.
RAW_UPSERT_MARKS = """
INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, term_id)
SELECT %b, u.c, u.s, u.v, 1, now(), 'raw', %b
FROM unnest(%b::uuid[], %b::uuid[], %b::text[]) AS u(c, s, v)
ON CONFLICT (journal_id, column_id, student_id, term_id) DO UPDATE
SET value = excluded.value, version = marks.version + 1, updated_at = excluded.updated_at
"""


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--base", type=float, default=0.002, help="UniversitySize.scaled factor of 1x")
    parser.add_argument("--sizes", default="1,10,100", help="multiples of the base to measure")
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--saves", type=int, default=60)
    return parser.parse_args(sys.argv[1:])


async def grid_layout(conn: psycopg.AsyncConnection[Any], journal: uuid.UUID) -> tuple[list[Any], list[Any]]:
    columns = [
        r[0]
        for r in await (
            await conn.execute(
                "SELECT column_id FROM columns WHERE journal_id = %s ORDER BY date", (journal,)
            )
        ).fetchall()
    ]
    students = [
        r[0]
        for r in await (
            await conn.execute(
                "SELECT DISTINCT student_id FROM marks WHERE journal_id = %s AND column_id = %s ORDER BY 1",
                (journal, columns[0]),
            )
        ).fetchall()
    ]
    return columns, students


async def measure_size(s: Any, n: int, base: float, reads: int, saves: int) -> dict[str, float]:
    size = UniversitySize.scaled(base * n)
    url = s.database(f"scale_{n}", service="gradebook")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    seeded = await asyncio.to_thread(seed_university, plain, size)
    async with await psycopg.AsyncConnection.connect(plain, autocommit=True) as conn:
        for statement in statements(RAW_TABLES):
            await conn.execute(statement)
        db_bytes = (await (await conn.execute("SELECT pg_database_size(current_database())")).fetchone())[0]  # type: ignore[index]
    print(
        f"{n:>4}x: {size.marks:,} marks ({len(seeded.graded):,} filled journals), "
        f"database {db_bytes / 2**20:,.0f} MiB, seeded in {seeded.seconds:.0f} s",
        flush=True,
    )

    engine = make_engine(url)
    gradebook = Gradebook(
        async_sessionmaker(engine, expire_on_commit=False),
        OutboxWriter(tables.outbox),
        StaticClassroomSecrets(),
    )
    tokens = TestTokens()
    server = GrpcServer(tokens.verifier_authenticator())
    server.add(pb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(gradebook), SERVICE)
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(
        f"127.0.0.1:{port}", options=[("grpc.max_receive_message_length", 64 << 20)]
    )
    stub = pb_grpc.GradebookServiceStub(channel)
    raw = await psycopg.AsyncConnection.connect(plain, autocommit=True)

    def auth(journal: Journal) -> Any:
        grant = ("teacher", "department", str(uuid.uuid4()))
        return bearer(tokens.token(str(journal.teacher_id), grant, ttl=timedelta(hours=1)))

    # Term 1's journals: their lessons lie before today, so a correction is allowed.
    filled = [j for j in seeded.graded if j.term_id == seeded.term_ids[0]]
    # With replacement: at 1x there are fewer journals than calls (a small database is hot anyway).
    picked = random.Random(n).choices(filled, k=2 * reads + 2 * saves)
    writers, readers = picked[: 2 * saves], picked[2 * saves :]
    try:
        for journal in readers[:5]:  # warm both paths (connections, prepared plans)
            await stub.GetJournalGrid(
                pb.GetJournalGridRequest(journal_id=str(journal.journal_id)), metadata=auth(journal)
            )
            await raw.execute(RAW_GRID, (journal.journal_id, journal.term_id), binary=True)
        ours_ms, raw_ms = [], []
        for ours_j, raw_j in zip(readers[0::2], readers[1::2], strict=False):
            metadata = auth(ours_j)
            t0 = time.perf_counter()
            grid = await stub.GetJournalGrid(
                pb.GetJournalGridRequest(journal_id=str(ours_j.journal_id)), metadata=metadata
            )
            t1 = time.perf_counter()
            async with raw.cursor(binary=True) as cur:
                await cur.execute(RAW_GRID, (raw_j.journal_id, raw_j.term_id))
                rows = await cur.fetchall()
            t2 = time.perf_counter()
            assert len(grid.cells) == len(rows) == size.students_per_group * size.graded_columns
            ours_ms.append((t1 - t0) * 1000)
            raw_ms.append((t2 - t1) * 1000)

        save_ours, save_raw = [], []
        for k, (ours_j, raw_j) in enumerate(zip(writers[0::2], writers[1::2], strict=False)):
            columns, students = await grid_layout(raw, ours_j.journal_id)
            raw_columns, raw_students = await grid_layout(raw, raw_j.journal_id)
            column, raw_column = columns[k % len(columns)], raw_columns[k % len(raw_columns)]
            value = str(50 + k % 40)
            request = pb.WriteMarksRequest(
                journal_id=str(ours_j.journal_id), idempotency_key=str(uuid.uuid4())
            )
            request.cells.extend(
                [pb.MarkWrite(column_id=str(column), student_id=str(s), value=value) for s in students]
            )
            metadata = auth(ours_j)
            t0 = time.perf_counter()
            await stub.WriteMarks(request, metadata=metadata)
            t1 = time.perf_counter()
            cells = [(raw_column, st, value) for st in raw_students]
            async with raw.transaction():
                await raw_upsert(raw, raw_j.journal_id, raw_j.term_id, cells)
            t2 = time.perf_counter()
            save_ours.append((t1 - t0) * 1000)
            save_raw.append((t2 - t1) * 1000)
    finally:
        await raw.close()
        await channel.close()
        await server.stop(0)
        await engine.dispose()

    label = f"{n}x ({size.marks / 1e6:.2f} M marks)"
    for p in (50, 99):
        figure(
            f"grid read 30x60 p{p}, {label}",
            percentile(ours_ms, p),
            percentile(raw_ms, p),
            "ms",
            higher_is_better=False,
        )
    for p in (50, 99):
        figure(
            f"save 30 cells p{p}, {label}",
            percentile(save_ours, p),
            percentile(save_raw, p),
            "ms",
            higher_is_better=False,
        )
    return {"marks": size.marks, "bytes": db_bytes}


async def raw_upsert(
    conn: psycopg.AsyncConnection[Any], journal: uuid.UUID, term: uuid.UUID, cells: list[tuple[Any, Any, str]]
) -> None:
    """The raw save: the upsert into the same (scaled) marks table, then bench/gradebook.py's raw
    history and outbox rows, in the caller's transaction."""
    cols, studs, values = [c for c, _, _ in cells], [s for _, s, _ in cells], [v for *_, v in cells]
    payloads = [
        ev.MarkRecorded(
            journal_id=str(journal), lesson_id=str(c), student_id=str(s), value=v
        ).SerializeToString()
        for c, s, v in cells
    ]
    async with conn.cursor() as cur:
        await cur.execute(RAW_UPSERT_MARKS, (journal, term, cols, studs, values), binary=True)
        await cur.execute(RAW_HISTORY, (journal, cols, studs, values, [b"h" * 32] * len(cells)), binary=True)
        await cur.execute(
            RAW_OUTBOX, (f"journal/{journal}", [uuid.uuid4() for _ in cells], payloads), binary=True
        )


async def measure() -> None:
    args = options()
    sizes = [int(x) for x in args.sizes.split(",")]
    with servers() as s:
        for n in sizes:
            await measure_size(s, n, args.base, args.reads, args.saves)
            s.postgres.drop_database(f"scale_{n}")


def main() -> None:
    asyncio.run(measure())


if __name__ == "__main__":  # with options: python -m bench.scale --sizes 1,10
    configure_logging("bench", "WARNING", "console", stream=sys.stderr)
    main()
