"""The user's path: the portal's calls through the HTTP gateway, against raw SQL for the same rows.

The gateway, gradebook and curriculum run as processes of their own (bench/services.py) on a database
seeded with COPY (bench/seed.py); teachers use portal sessions (access cookie + CSRF pair).

1. gateway_write_marks_per_s: 16 concurrent teachers, each on a journal of their own, each saving
   25-cell batches (Idempotency-Key, per-cell expected versions) with POST .../marks, against the same
   batches at the same concurrency straight into PostgreSQL: per batch one upsert + one history insert
   + one outbox insert in one transaction, into the gradebook's own tables (the same rows ours writes,
   bench/raw_writes.py); the same into three bare tables is printed beside it ("write marks/s, raw into
   bare tables"). Target: >= 0.3 x raw. The sides alternate in ROUNDS rounds, so all meet the same
   load on a shared machine; each side's CPU per save is printed too. Before the
   rounds both sides make a few untimed saves (open connections, prepared statements). The teachers'
   HTTP client is bench/http_client.py, a lean keep-alive client (httpx cost 3-4 times raw's psycopg
   client in CPU on the same cores); each reply's status, cells and versions are still checked.
2. gateway_grid_30x60_p99_ms / gateway_grid_100x71_p50_ms: GET .../grid (with students' names, which
   the gateway asks curriculum for) against the raw indexed reads of the same rows (the journal's
   columns and marks, and the group's names). Target: <= 2 x raw + 5 ms. Moodle 4.5's grader report
   took 903 ms p50 for 100 x 71 on this machine; the ratio to that is printed too. Each process's CPU
   per read is printed, and the reads of a journal read for the first time apart from repeated ones
   (the gateway asks a known journal's names early: services/gateway/enrich.py).

`python -m bench.gateway --writes` runs only the first figure, `--grids` only the second and third.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack
from typing import Any

import httpx
import orjson
import psycopg

from bench.harness import Servers, servers
from bench.http_client import KeepAliveClient
from bench.profiling import cpu_used, postmaster_pid, print_cpu, print_threads, profiled, threads_used
from bench.raw_writes import (
    LAST_POSITION,
    RAW_HISTORY,
    RAW_OUTBOX,
    RAW_TABLES,
    RAW_UPSERT,
    SERVICE_HISTORY,
    SERVICE_OUTBOX,
    SERVICE_UPSERT,
)
from bench.report import figure, percentile, size
from bench.seed import Journal, Seeded, UniversitySize, seed_group_members, seed_university
from bench.services import Stack, gateway_stack
from ejournal.gradebook.v1 import events_pb2 as ev

MOODLE_100X71_P50_MS = 903.0
CLIENTS = 16
BATCH = 25
ROUNDS = size(4, 1)  # ours and raw alternate this many times (bench/gateway.py: writes)
WARM_SAVES = size(8, 1)  # each writer's untimed saves before the rounds, ours and raw alike

RAW_COLUMNS = "SELECT column_id, kind, date, section_id FROM columns WHERE journal_id = %b"
# The raw read knows the journal's term: its partition (marks are partitioned by term).
RAW_MARKS = "SELECT column_id, student_id, value, version FROM marks WHERE journal_id = %b AND term_id = %b"
RAW_NAMES = """
SELECT p.student_id, m.student_name FROM placements p JOIN movements m ON m.id = p.opened_by
WHERE p.group_id = %b AND p.valid_until IS NULL
"""

Cell = tuple[str, str]  # column_id, student_id


async def layout(conn: psycopg.AsyncConnection[Any], journal: Journal) -> list[Cell]:
    """The journal's cells, column by column (the order a teacher fills them)."""
    rows = await (
        await conn.execute(
            "SELECT c.column_id::text, e.student_id::text FROM columns c JOIN journals j USING (journal_id)"
            " JOIN enrollments e ON e.group_id = j.group_id WHERE c.journal_id = %s"
            " ORDER BY c.date, c.column_id, e.student_id",
            (journal.journal_id,),
        )
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


async def ours_writer(
    client: KeepAliveClient,
    stack: Stack,
    journal: Journal,
    cells: list[Cell],
    saves: int,
    first: int = 0,
    versions: dict[Cell, int] | None = None,
) -> int:
    """Saves number first .. first + saves - 1 of one teacher (`versions`: what the earlier saves
    answered, so each cell's expected version is the current one). Each reply's status is checked and
    its cells' versions read, as the portal does."""
    headers = stack.cookies(str(journal.teacher_id))
    versions = {} if versions is None else versions
    written = 0
    for n in range(first, first + saves):
        batch = [cells[(n * BATCH + i) % len(cells)] for i in range(BATCH)]
        body = {
            "cells": [
                {"column_id": c, "student_id": s, "value": str((n + i) % 101),
                 "expected_version": versions.get((c, s), 1)}
                for i, (c, s) in enumerate(batch)
            ]
        }  # fmt: skip
        answer = await client.post(
            f"/api/v1/journals/{journal.journal_id}/marks",
            orjson.dumps(body),
            {**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        if answer.status != 200:
            raise RuntimeError(f"write refused: {answer.status} {answer.text[:500]}")
        cells_written = orjson.loads(answer.body)["cells"]
        if len(cells_written) != len(batch):
            raise RuntimeError(f"{len(cells_written)} cells answered for {len(batch)} written")
        for cell in cells_written:
            versions[(cell["column_id"], cell["student_id"])] = int(cell["version"])
        written += len(batch)
    return written


async def raw_writer(
    conn: psycopg.AsyncConnection[Any],
    journal: Journal,
    cells: list[Cell],
    saves: int,
    first: int = 0,
    positions: dict[uuid.UUID, int] | None = None,
) -> int:
    """The same saves straight into PostgreSQL: one upsert, one history insert, one outbox insert in one
    transaction. `positions` given: into the gradebook's own tables (bench/raw_writes.py SERVICE_*), the
    history positions continuing from each journal's last; None: into the three bare tables (RAW_*)."""
    written = 0
    journal_id = journal.journal_id
    if positions is not None and journal_id not in positions:
        last = await (await conn.execute(LAST_POSITION, (journal_id,))).fetchone()
        positions[journal_id] = last[0] if last else 0
        await conn.commit()  # so that each save below is a transaction of its own, not a savepoint
    # One open connection per client for the whole run, as the services' pools keep theirs.
    for n in range(first, first + saves):
        batch = [cells[(n * BATCH + i) % len(cells)] for i in range(BATCH)]
        cols = [uuid.UUID(c) for c, _ in batch]
        studs = [uuid.UUID(s) for _, s in batch]
        values = [str((n + i) % 101) for i in range(BATCH)]
        payloads = [
            ev.MarkRecorded(journal_id=str(journal_id), lesson_id=c, student_id=s, value=v,
                            author_id="raw").SerializeToString()
            for (c, s), v in zip(batch, values, strict=True)
        ]  # fmt: skip
        hashes = [b"h" * 32] * BATCH
        subject = f"journal/{journal_id}"
        async with conn.transaction(), conn.cursor() as cur:
            if positions is None:
                await cur.execute(RAW_UPSERT, (journal_id, cols, studs, values))
                await cur.execute(RAW_HISTORY, (journal_id, cols, studs, values, hashes))
                await cur.execute(RAW_OUTBOX, (subject, [uuid.uuid4() for _ in batch], payloads))
            else:
                # The journal's id three times: the row's, then its term's and its university's lookups.
                await cur.execute(SERVICE_UPSERT, (journal_id, journal_id, journal_id, cols, studs, values))
                last = positions[journal_id]
                await cur.execute(
                    SERVICE_HISTORY, (journal_id, last, journal_id, journal_id, cols, studs, values, hashes)
                )
                await cur.execute(SERVICE_OUTBOX, (subject, payloads))
        if positions is not None:
            positions[journal_id] += BATCH
        written += BATCH
    return written


async def writes(stack: Stack, url: str, journals: Sequence[Journal], postmaster: int) -> None:
    ours_journals, raw_journals = journals[:CLIENTS], journals[CLIENTS : 2 * CLIENTS]
    saves = size(40, 3)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        ours_cells = [await layout(conn, j) for j in ours_journals]
        raw_cells = [await layout(conn, j) for j in raw_journals]
        await conn.execute(
            "INSERT INTO raw_marks SELECT journal_id, column_id, student_id, value, version, updated_at,"
            " updated_by FROM marks WHERE journal_id = ANY(%s)",
            ([j.journal_id for j in raw_journals],),
        )
        await conn.commit()
    raw_conns = [await psycopg.AsyncConnection.connect(url) for _ in raw_journals]
    processes = {"gateway": stack.pids["gateway"], "gradebook": stack.pids["gradebook"],
                 "client": os.getpid(), "postgres": postmaster}  # fmt: skip
    services = {"gateway": stack.pids["gateway"], "gradebook": stack.pids["gradebook"]}
    raw_processes = {"client": os.getpid(), "postgres": postmaster}
    # The raw side twice: into the gradebook's own tables (the figure's raw: the same rows into the same
    # tables) and into bare tables of the same columns (printed beside it); bench/raw_writes.py.
    positions: dict[uuid.UUID, int] = {}
    raw_sides: dict[str, dict[uuid.UUID, int] | None] = {"raw": positions, "bare": None}
    ours_cpu: dict[str, float] = {}
    raw_cpu: dict[str, dict[str, float]] = {side: {} for side in raw_sides}
    ours_threads: dict[str, dict[str, float]] = {}
    ours_seconds = 0.0
    raw_seconds = dict.fromkeys(raw_sides, 0.0)
    ours_marks = 0
    raw_marks = dict.fromkeys(raw_sides, 0)
    versions: list[dict[Cell, int]] = [{} for _ in ours_journals]
    per_round = saves // ROUNDS
    # One keep-alive connection per teacher (bench/http_client.py: a lean client, so that the load
    # generator on the same cores costs about what the raw side's psycopg client does).
    async with AsyncExitStack() as opened:
        clients = [await opened.enter_async_context(KeepAliveClient(stack.gateway)) for _ in ours_journals]
        await ours_writer(
            clients[0], stack, journals[2 * CLIENTS], await _cells_of(url, journals[2 * CLIENTS]), 2
        )
        # Untimed, both sides alike: every connection open (the gradebook's pool grows to the 16
        # concurrent saves; raw's 16 are open already) and each statement past psycopg's prepare
        # threshold (5 executions per connection), so the rounds time the steady state of both.
        await asyncio.gather(
            *(ours_writer(http, stack, j, c, WARM_SAVES, 0, v)
              for http, j, c, v in zip(clients, ours_journals, ours_cells, versions, strict=True)),
        )  # fmt: skip
        for target in raw_sides.values():
            await asyncio.gather(
                *(raw_writer(conn, j, c, WARM_SAVES, 0, target)
                  for conn, j, c in zip(raw_conns, raw_journals, raw_cells, strict=True))
            )  # fmt: skip
        # Rounds of ours then each raw side, so that all meet the same load on a machine others share.
        with profiled("write", processes):
            for round_ in range(ROUNDS):
                first = WARM_SAVES + round_ * per_round
                with cpu_used(processes, frozenset({"postgres"})) as cpu, threads_used(services) as threads:
                    t0 = time.perf_counter()
                    ours = await asyncio.gather(
                        *(ours_writer(http, stack, j, c, per_round, first, v)
                          for http, j, c, v in zip(clients, ours_journals, ours_cells, versions, strict=True))
                    )  # fmt: skip
                    ours_seconds += time.perf_counter() - t0
                ours_marks += sum(ours)
                _add(ours_cpu, cpu)
                for name, spent in threads.items():
                    _add(ours_threads.setdefault(name, {}), spent)
                for side, target in raw_sides.items():
                    with cpu_used(raw_processes, frozenset({"postgres"})) as cpu:
                        t0 = time.perf_counter()
                        raw = await asyncio.gather(
                            *(raw_writer(conn, j, c, per_round, first, target)
                              for conn, j, c in zip(raw_conns, raw_journals, raw_cells, strict=True))
                        )  # fmt: skip
                        raw_seconds[side] += time.perf_counter() - t0
                    raw_marks[side] += sum(raw)
                    _add(raw_cpu[side], cpu)
    for conn in raw_conns:
        await conn.close()
    await _check_raw_rows(url, raw_journals, positions)
    ours_rate = ours_marks / ours_seconds
    figure("gateway_write_marks_per_s", ours_rate, raw_marks["raw"] / raw_seconds["raw"], "marks/s")
    bare_rate = raw_marks["bare"] / raw_seconds["bare"]
    figure("write marks/s, raw into bare tables", ours_rate, bare_rate, "marks/s")
    # CPU, unlike time, hardly depends on how loaded the machine is: the figure to compare changes by.
    print_cpu(ours_cpu, ours_marks // BATCH, "25-cell save through the gateway")
    print_threads(ours_threads, ours_marks // BATCH)
    print_cpu(raw_cpu["raw"], raw_marks["raw"] // BATCH, "raw 25-cell save into the gradebook's tables")
    print_cpu(raw_cpu["bare"], raw_marks["bare"] // BATCH, "raw 25-cell save into bare tables")


async def _check_raw_rows(url: str, journals: Sequence[Journal], positions: dict[uuid.UUID, int]) -> None:
    """The raw side wrote what it counted: each journal's history ends at the position it kept, and
    the chain of the seed's positions has no gap (a history row lost or doubled would show)."""
    async with await psycopg.AsyncConnection.connect(url) as conn:
        rows = await (
            await conn.execute(
                "SELECT journal_id, max(position), count(*) FROM history WHERE journal_id = ANY(%s)"
                " GROUP BY journal_id",
                ([j.journal_id for j in journals],),
            )
        ).fetchall()
    found = {journal_id: (int(last), int(count)) for journal_id, last, count in rows}
    for journal in journals:
        kept = positions[journal.journal_id]
        if found.get(journal.journal_id) != (kept, kept):
            seen = found.get(journal.journal_id)
            raise RuntimeError(f"raw history of {journal.journal_id}: (last, count) {seen}, kept {kept}")


def _add(total: dict[str, float], more: dict[str, float]) -> None:
    for name, value in more.items():
        total[name] = total.get(name, 0.0) + value


async def _cells_of(url: str, journal: Journal) -> list[Cell]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        return await layout(conn, journal)


async def raw_grid(
    gradebook: psycopg.AsyncConnection[Any], curriculum: psycopg.AsyncConnection[Any], journal: Journal
) -> int:
    async with gradebook.cursor(binary=True) as columns, gradebook.cursor(binary=True) as marks:
        async with gradebook.pipeline():
            await columns.execute(RAW_COLUMNS, (journal.journal_id,))
            await marks.execute(RAW_MARKS, (journal.journal_id, journal.term_id))
        await columns.fetchall()
        cells = await marks.fetchall()
    async with curriculum.cursor(binary=True) as names:
        await names.execute(RAW_NAMES, (journal.group_id,))
        await names.fetchall()
    return len(cells)


async def grid_reads(
    stack: Stack,
    gradebook_url: str,
    curriculum_url: str,
    journals: Sequence[Journal],
    reads: int,
    label: str = "grid",
    postmaster: int | None = None,
) -> tuple[list[float], list[float]]:
    """`reads` grid reads through the gateway and as many raw, interleaved so both see the same load;
    each side reads its own half of `journals` (at random, so mostly cold). Prints each process's CPU
    per read (CPU hardly depends on the machine's load, unlike time); `label` names the py-spy graphs
    (EJOURNAL_BENCH_PROFILE)."""
    rng = random.Random(19)
    half = len(journals) // 2
    ours_sample = [journals[rng.randrange(half)] for _ in range(reads)]
    raw_sample = [journals[half + rng.randrange(len(journals) - half)] for _ in range(reads)]
    ours_ms: list[float] = []
    raw_ms: list[float] = []
    # The gateway asks a group's names early for a journal it has answered before (services/gateway/
    # enrich.py): first reads of a journal and repeated ones are printed apart.
    seen: set[uuid.UUID] = set()
    first_ms: list[float] = []
    again_ms: list[float] = []
    async with (
        httpx.AsyncClient(base_url=stack.gateway, timeout=60) as client,
        await psycopg.AsyncConnection.connect(gradebook_url, autocommit=True) as gradebook,
        await psycopg.AsyncConnection.connect(curriculum_url, autocommit=True) as curriculum,
    ):
        for journal in ours_sample[:5]:  # warm both paths: connections, prepared plans
            seen.add(journal.journal_id)
            await client.get(
                f"/api/v1/journals/{journal.journal_id}/grid", headers=stack.cookies(str(journal.teacher_id))
            )
            await raw_grid(gradebook, curriculum, journal)
        processes = {name: stack.pids[name] for name in ("gateway", "gradebook", "curriculum")}
        if postmaster is not None:
            processes["postgres"] = postmaster
        spent: dict[str, float] = {}
        with profiled(label, {n: p for n, p in processes.items() if n != "postgres"}):
            for ours_j, raw_j in zip(ours_sample, raw_sample, strict=True):
                headers = stack.cookies(str(ours_j.teacher_id))
                with cpu_used(processes, frozenset({"postgres"})) as cpu:
                    t0 = time.perf_counter()
                    answer = await client.get(f"/api/v1/journals/{ours_j.journal_id}/grid", headers=headers)
                    t1 = time.perf_counter()
                _add(spent, cpu)
                cells = await raw_grid(gradebook, curriculum, raw_j)
                t2 = time.perf_counter()
                if answer.status_code != 200:
                    raise RuntimeError(f"grid refused: {answer.status_code} {answer.text[:500]}")
                grid = answer.json()
                if len(grid["cells"]) != cells or not all(s["student_name"] for s in grid["students"]):
                    named = sum(1 for s in grid["students"] if s["student_name"])
                    raise RuntimeError(
                        "the gateway's grid is not the raw read's rows with every student's name:"
                        f" {len(grid['cells'])} cells (raw {cells}),"
                        f" {named} of {len(grid['students'])} students named"
                    )
                ours_ms.append((t1 - t0) * 1000)
                raw_ms.append((t2 - t1) * 1000)
                (again_ms if ours_j.journal_id in seen else first_ms).append((t1 - t0) * 1000)
                seen.add(ours_j.journal_id)
    print_cpu(spent, len(ours_ms), f"{label} read through the gateway")
    for what, samples in (("first reads of a journal", first_ms), ("journals read before", again_ms)):
        print(
            f"  {what}: {len(samples)}, p50 {percentile(samples, 50):.1f} ms,"
            f" p99 {percentile(samples, 99):.1f} ms (raw, all: p50 {percentile(raw_ms, 50):.1f} ms,"
            f" p99 {percentile(raw_ms, 99):.1f} ms)",
            flush=True,
        )
    return ours_ms, raw_ms


def prepare(
    s: Servers, name: str, sizes: Sequence[tuple[UniversitySize, int]]
) -> tuple[str, str, list[Seeded]]:
    """A gradebook database (`name`) seeded with each size, and a curriculum database naming their
    students; superuser libpq URLs."""
    gradebook = s.database(f"{name}_gradebook", service="gradebook").replace(
        "postgresql+psycopg://", "postgresql://"
    )
    curriculum = s.database(f"{name}_curriculum", service="curriculum").replace(
        "postgresql+psycopg://", "postgresql://"
    )
    seeded = []
    for university, seed in sizes:
        started = time.perf_counter()
        done = seed_university(gradebook, university, seed=seed)
        groups = list(dict.fromkeys(j.group_id for j in done.graded))
        seed_group_members(curriculum, done, groups)
        print(
            f"seeded {university.marks:,} marks with history in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        seeded.append(done)
    return gradebook, curriculum, seeded


def grid_figures(name: str, ours_ms: list[float], raw_ms: list[float], p: int) -> None:
    ours, raw = percentile(ours_ms, p), percentile(raw_ms, p)
    figure(name, ours, raw, "ms", higher_is_better=False)
    verdict = "met" if ours <= 2 * raw + 5 else "NOT met"
    print(f"  target <= 2 x raw + 5 ms = {2 * raw + 5:.1f} ms: {verdict}", flush=True)


async def measure(writes_only: bool = False, grids_only: bool = False) -> None:
    """writes_only (`python -m bench.gateway --writes`): only gateway_write_marks_per_s, on a database
    seeded just large enough for it (a short run while working on the write path); grids_only
    (`--grids`): only the two grid figures, on the same databases as a full run."""
    small = UniversitySize(groups=size(20, 4), teachers=size(40, 4), other_per_group=size(54, 1))
    big = UniversitySize(groups=size(4, 1), students_per_group=100, terms=1, graded_per_group=2,
                         graded_columns=71, other_per_group=0)  # fmt: skip
    with servers() as s:
        if writes_only:
            gradebook, curriculum, (seeded,) = prepare(s, "small", [(small, 19)])
            big_seeded = seeded
        else:
            gradebook, curriculum, (seeded, big_seeded) = prepare(s, "small", [(small, 19), (big, 71)])
        async with await psycopg.AsyncConnection.connect(gradebook, autocommit=True) as conn:
            for statement in RAW_TABLES.split(";\n"):
                await conn.execute(statement)
        with gateway_stack(gradebook, curriculum) as stack:
            journals = seeded.graded
            postmaster = postmaster_pid(s.postgres.data_dir)
            if not grids_only:
                await writes(stack, gradebook, journals[-(2 * CLIENTS + 1) :], postmaster)
            if writes_only:
                return
            readable = journals[: -(2 * CLIENTS + 1)]
            ours_ms, raw_ms = await grid_reads(
                stack, gradebook, curriculum, readable, size(400, 10), "grid-30x60", postmaster
            )
            grid_figures("gateway_grid_30x60_p99_ms", ours_ms, raw_ms, 99)
            ours_ms, raw_ms = await grid_reads(
                stack, gradebook, curriculum, big_seeded.graded, size(100, 4), "grid-100x71", postmaster
            )
            grid_figures("gateway_grid_100x71_p50_ms", ours_ms, raw_ms, 50)
            p50 = percentile(ours_ms, 50)
            faster = MOODLE_100X71_P50_MS / p50
            print(
                f"  against Moodle 4.5's grader report (903 ms p50 here): {faster:.1f} x faster", flush=True
            )


def main() -> None:
    asyncio.run(measure(writes_only="--writes" in sys.argv[1:], grids_only="--grids" in sys.argv[1:]))


if __name__ == "__main__":  # python -m bench.gateway [--writes | --grids]
    main()
