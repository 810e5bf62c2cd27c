"""Reopen cases on the Temporal dev server: N cases open at once (default 10,000; BENCH_WORKFLOW_CASES).

- start rate: SubmitExplanation's use case (projection row + workflow start) against the raw figure,
  trivial workflows started on the same server with the same concurrency;
- opened rate: until the worker has run every case's first task (visible by its Step attribute);
- task-list query p50/p99 with every case open: ListTasks' use case for department heads, deans and
  teachers, against the raw single-table SQL query, and (for reference) Temporal visibility queries
  over the search attributes;
- worker memory: resident size of the worker process with all cases open, against the same worker idle.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from bench.harness import servers
from bench.report import figure, percentile, size
from deploy.local.servers import TemporalDevServer, free_port
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.pagination import page_request
from services.workflow.adapters import tables
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.tables import journal_sections
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES
from services.workflow.service_layer import reopen_cases, tasks
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.doubles import FakeGradebook
from services.workflow.tests.support import explanation

CASES = int(os.environ.get("BENCH_WORKFLOW_CASES", size(10_000, 200)))
CONCURRENCY = 100
DEPARTMENTS, FACULTIES, TEACHERS = 60, 10, 3000
QUERIES = 400


@workflow.defn(name="BenchTrivialOpen")
class TrivialOpen:
    """The raw side: a workflow that starts and stays open, doing nothing."""

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)


def teacher(i: int) -> str:
    return f"teacher-{i % TEACHERS}"


def department(i: int) -> str:
    return f"dep-{i % DEPARTMENTS}"


def faculty_of(dep: str) -> str:
    return f"fac-{int(dep.split('-')[1]) % FACULTIES}"


def seed_sections(url: str) -> None:
    """N closed sections, one per case, closed an hour ago (inside the explanation window)."""
    closed_at = datetime.now(UTC) - timedelta(hours=1)
    engine = create_engine(url)
    rows = [
        {
            "journal_id": f"journal-{i}",
            "section": "midterm",
            "control_kind": "midterm",
            "teacher_ids": [teacher(i)],
            "department_id": department(i),
            "faculty_id": faculty_of(department(i)),
            "term_id": "term-1",
            "profile_code": "kz-medical",
            "event_date": "",
            "closed_at": closed_at,
            "closed_by": "bench",
        }
        for i in range(CASES)
    ]
    with engine.begin() as conn:
        conn.execute(journal_sections.insert(), rows)
    engine.dispose()


async def bounded(count: int, call: object) -> float:
    """Run call(i) for i < count with CONCURRENCY at a time; the elapsed seconds."""
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        async with semaphore:
            await call(i)  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return time.perf_counter() - started


async def latencies(samples: int, call: object) -> list[float]:
    found = []
    for i in range(samples):
        started = time.perf_counter()
        await call(i)  # type: ignore[operator]
        found.append((time.perf_counter() - started) * 1000)
    return found


def spawn_worker(temporal_address: str, queue: str, url: str) -> subprocess.Popen[str]:
    """The workflow worker in its own process (so its memory is its own), once it polls."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.workflow.tests.worker_process"],
        env={
            **os.environ,
            "WORKER_TEMPORAL": temporal_address,
            "WORKER_QUEUE": queue,
            "WORKER_DATABASE_URL": url,
            # Cases stay open at review: the gradebook is never called.
            "WORKER_GRADEBOOK": "127.0.0.1:9",
            "WORKER_TOKEN": "unused",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    return worker


async def measure() -> None:
    with servers() as s, tempfile.TemporaryDirectory(prefix="ejournal-bench-temporal-") as tmp:
        temporal = TemporalDevServer(
            Path(tmp) / "t.db", free_port(), None, NAMESPACE, SEARCH_ATTRIBUTES, Path(tmp) / "temporal.log"
        )
        temporal.start()
        try:
            await run(s.database("bench_workflow", "workflow"), temporal)
        finally:
            temporal.stop()


async def run(url: str, temporal: TemporalDevServer) -> None:
    print(f"{CASES:,} cases, {CONCURRENCY} at a time, on the Temporal dev server (SQLite)", flush=True)
    seed_sections(url)
    client = await Client.connect(temporal.address, namespace=NAMESPACE)

    # Raw: trivial open workflows started on the same server.
    # (unsandboxed: the sandbox would re-import this benchmark module and its imports)
    async with Worker(
        client, task_queue="bench-raw", workflows=[TrivialOpen], workflow_runner=UnsandboxedWorkflowRunner()
    ):
        raw_seconds = await bounded(
            CASES, lambda i: client.start_workflow(TrivialOpen.run, id=f"raw-{i}", task_queue="bench-raw")
        )
    raw_rate = CASES / raw_seconds

    queue = f"bench-{uuid.uuid4().hex[:6]}"
    worker = spawn_worker(temporal.address, queue, url)
    try:
        process = psutil.Process(worker.pid)
        idle_rss = process.memory_info().rss
        engine = make_engine(url, pool_size=CONCURRENCY // 2)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        outbox = OutboxWriter(tables.outbox)
        # The use cases' own gradebook is never called here (the worker process has its fake).
        deps = Deps(lambda: UnitOfWork(sessions, outbox), FakeGradebook(), CaseProcesses(client, queue))
        peak_rss = idle_rss

        async def submit(i: int) -> None:
            dep = department(i)
            principal = Principal(teacher(i), (RoleGrant("teacher", "department", dep),))
            cmd = reopen_cases.SubmitExplanation(
                request_id=f"r-{i}", journal_id=f"journal-{i}", section="midterm", explanation=explanation()
            )
            await reopen_cases.submit_explanation(deps, principal, cmd)

        started = time.perf_counter()
        ours_seconds = await bounded(CASES, submit)
        # Open = the worker ran each case's first task (its Step search attribute is set).
        while True:
            running = (await client.count_workflows("WorkflowType = 'ReopenCase' AND Step = 'review'")).count
            peak_rss = max(peak_rss, process.memory_info().rss)
            if running >= CASES:
                break
            await asyncio.sleep(0.5)
        opened_seconds = time.perf_counter() - started
        open_rss = process.memory_info().rss

        figure("cases started per second (use case vs trivial)", CASES / ours_seconds, raw_rate, "starts/s")
        figure("cases open (first task run) per second", CASES / opened_seconds, raw_rate, "cases/s")

        rng = random.Random(7)
        heads = [
            Principal(f"h{d}", (RoleGrant("department_head", "department", f"dep-{d}"),))
            for d in range(DEPARTMENTS)
        ]
        deans = [Principal(f"d{f}", (RoleGrant("dean", "faculty", f"fac-{f}"),)) for f in range(FACULTIES)]
        teachers = [
            Principal(teacher(t), (RoleGrant("teacher", "department", department(t)),))
            for t in range(TEACHERS)
        ]
        for name, people in (("department head", heads), ("dean", deans), ("teacher", teachers)):
            sizes: list[int] = []

            async def ask(i: int, people: list[Principal] = people, sizes: list[int] = sizes) -> None:
                page, _ = await tasks.list_tasks(deps, rng.choice(people), page_request(100, ""))
                sizes.append(len(page))

            ours = await latencies(QUERIES, ask)

            async def raw_query(i: int, people: list[Principal] = people) -> None:
                person = rng.choice(people)
                grant = person.roles[0]
                column, value = {
                    "teacher": ("teacher_id", person.subject),
                    "department_head": ("department_id", grant.scope_id),
                    "dean": ("faculty_id", grant.scope_id),
                }[grant.role]
                async with engine.connect() as conn:
                    await conn.execute(
                        text(
                            f"SELECT case_id, step, deadline FROM reopen_cases WHERE {column} = :v "
                            "AND ended_at IS NULL ORDER BY deadline LIMIT 100"
                        ),
                        {"v": value},
                    )

            raw = await latencies(QUERIES, raw_query)
            shown = f"{name}, {sum(sizes) // len(sizes)} tasks"
            figure(
                f"ListTasks p50 ({shown})",
                percentile(ours, 50),
                percentile(raw, 50),
                "ms",
                higher_is_better=False,
            )
            figure(
                f"ListTasks p99 ({shown})",
                percentile(ours, 99),
                percentile(raw, 99),
                "ms",
                higher_is_better=False,
            )

        async def visibility(i: int) -> None:
            query = f"DepartmentId = 'dep-{rng.randrange(DEPARTMENTS)}' AND Step = 'review'"
            found = [w async for w in client.list_workflows(query, limit=100)]
            del found

        temporal_p99 = percentile(await latencies(50, visibility), 99)
        print(f"(reference) Temporal visibility query by DepartmentId+Step, p99: {temporal_p99:,.1f} ms")
        figure(
            "worker resident memory with all cases open",
            open_rss / 2**20,
            idle_rss / 2**20,
            "MiB",
            higher_is_better=False,
        )
        print(f"(peak worker resident memory while opening: {peak_rss / 2**20:,.0f} MiB)")
        await engine.dispose()
    finally:
        worker.kill()
        worker.wait()


def main() -> None:
    asyncio.run(measure())
