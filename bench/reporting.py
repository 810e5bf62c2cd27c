"""Reporting's figures, each beside the raw figure for the same work:

1. event_lag_p99_ms: the lag from the gradebook's commit (the event's ce-time, stamped in its unit of
   work) to the read-model commit, with marks committed at 1,000/s for 60 s through the real outbox
   and relay — beside a bare JetStream consumer's receive lag for the same messages; the gradebook's
   side, reporting's consumers and the bare receiver are three processes (bench/lag_sides.py); three
   runs, the figure is the worst run's (target: < 500 ms and <= 1.5 x bare in every run);
2. time to render a 200-student statement PDF — beside fpdf2 writing the same 200 rows bare;
3. reporting_rebuild_events_per_s: a rebuild of one semester of the demo university (drop the read
   models, replay every stream) — beside a bare JetStream consumer reading the same messages
   (target: >= 0.5 x bare).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench import lag_sides
from bench.harness import servers
from bench.profiling import cpu_used, postmaster_pid, print_cpu, profiled
from bench.report import figure, percentile, size
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_platform.db import UnitOfWork, make_engine, new_metadata
from ejournal_platform.events import Event, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxRelay, OutboxWriter, define_outbox
from services.reporting.adapters.pdf import FAMILY, FONTS, render_pdf
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout
from services.reporting.service_layer.lag import LagTracker
from services.reporting.service_layer.rebuild import rebuild, wait_caught_up
from services.reporting.tests.demo.university import Shape, build
from services.reporting.tests.support import publish

RATE = 1_000  # marks per second
SECONDS = size(60, 2)
RUNS = size(3, 1)
PER_COMMIT = 50  # a commit every 50 ms
STREAMS = ("identity", "curriculum", "gradebook", "workflow")
SEMESTER = Shape(
    faculties=2,
    departments_per_faculty=2,
    groups_per_department=size(3, 1),
    students_per_group=size(25, 5),
    units_per_department=size(4, 1),
    lessons_per_unit=size(30, 3),
)


async def lag_at_rate() -> tuple[list[float], list[float]]:
    """One run: (ours, raw) lags in seconds. The gradebook's side (the generator, its outbox and relay)
    runs here; reporting's consumers and the bare receiver each in a process of their own
    (bench/lag_sides.py), as deployed."""
    expected = RATE * SECONDS
    limit = SECONDS + 300.0
    context = multiprocessing.get_context("spawn")
    loop = asyncio.get_running_loop()
    with servers() as s:
        reporting_url = s.database("bench_reporting", "reporting")
        gradebook_url = s.database("bench_gradebook")
        metadata = new_metadata()
        outbox = define_outbox(metadata)
        gradebook_engine = make_engine(gradebook_url)
        async with gradebook_engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        nc = await connect(s.nats.url, "bench-reporting")
        js = nc.jetstream()
        for service in STREAMS:
            await ensure_stream(js, service)
        ours_end, ours_child = context.Pipe()
        raw_end, raw_child = context.Pipe()
        sides = [
            context.Process(
                target=lag_sides.reporting_side,
                args=(s.nats.url, reporting_url, expected, limit, ours_child),
                name="reporting",
            ),
            context.Process(
                target=lag_sides.bare_side, args=(s.nats.url, expected, limit, raw_child), name="bare"
            ),
        ]
        for side in sides:
            side.start()
        for end in (ours_end, raw_end):
            await loop.run_in_executor(None, end.recv)  # "ready"
        writer = OutboxWriter(outbox)
        relay = OutboxRelay(gradebook_engine, writer, js, "ejournal/gradebook", batch=500, idle_seconds=0.01)
        relay_task = asyncio.create_task(relay.run())
        await asyncio.sleep(1.0)
        gradebook_sessions = async_sessionmaker(gradebook_engine, expire_on_commit=False)
        # CPU per process, which the machine's load changes far less than the lags.
        assert s.nats.process is not None
        pids = {
            "gradebook side (generator + relay)": os.getpid(),
            "reporting consumers": _pid(sides[0]),
            "bare receiver": _pid(sides[1]),
            "postgres": postmaster_pid(s.postgres.data_dir),
            "nats": s.nats.process.pid,
        }
        load = os.getloadavg()[0]
        sides_profiled = {"reporting": pids["reporting consumers"], "bare": pids["bare receiver"]}
        with (
            profiled("event-lag", sides_profiled),
            cpu_used(pids, with_children=frozenset({"postgres"})) as spent,
        ):
            started = await _commit_marks(gradebook_sessions, writer)
            rate = expected / (time.perf_counter() - started)
            ours = await loop.run_in_executor(None, ours_end.recv)
            raw = await loop.run_in_executor(None, raw_end.recv)
        print_cpu(spent, expected // 1000, "1,000 marks")
        print(f"  load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end", flush=True)
        for end in (ours_end, raw_end):
            end.send("bye")
        for side in sides:
            side.join(60)
        print(f"marks committed: {expected} at {rate:,.0f}/s; applied {len(ours)}; raw {len(raw)}")
        relay_task.cancel()
        await asyncio.gather(relay_task, return_exceptions=True)
        await nc.close()
        await gradebook_engine.dispose()
    return ours, raw


def _pid(process: multiprocessing.process.BaseProcess) -> int:
    assert process.pid is not None
    return process.pid


async def _commit_marks(sessions: async_sessionmaker[Any], writer: OutboxWriter) -> float:
    """RATE marks a second for SECONDS through the outbox, PER_COMMIT to a commit; returns the start."""
    started = time.perf_counter()
    for tick in range(RATE * SECONDS // PER_COMMIT):
        async with UnitOfWork(sessions, writer) as uow:
            for i in range(PER_COMMIT):
                n = tick * PER_COMMIT + i
                mark = gb.MarkRecorded(
                    journal_id=f"j{n % 40}",
                    lesson_id=f"l{n // 1000}",
                    student_id=f"s{n % 1000}",
                    value=str(50 + n % 50),
                    version=1,
                    column_kind="lesson",
                )
                uow.add_event(Event(payload=mark, subject=f"journal/j{n % 40}"))
            await uow.commit()
        behind = started + (tick + 1) * PER_COMMIT / RATE - time.perf_counter()
        if behind > 0:
            await asyncio.sleep(behind)
    return started


async def event_lag() -> None:
    runs = []
    for run in range(1, RUNS + 1):
        ours, raw = await lag_at_rate()
        p99, raw_p99 = 1000 * percentile(ours, 99), 1000 * percentile(raw, 99)
        met = p99 < 500 and p99 <= 1.5 * raw_p99
        print(
            f"run {run}: p50 {1000 * percentile(ours, 50):.0f} ms (bare {1000 * percentile(raw, 50):.0f}),"
            f" p99 {p99:.0f} ms (bare {raw_p99:.0f}), max {1000 * max(ours):.0f} ms;"
            f" target {'met' if met else 'NOT met'}",
            flush=True,
        )
        runs.append((p99, raw_p99))
    worst = max(runs)
    figure("event_lag_p99_ms", worst[0], worst[1], "ms", higher_is_better=False)


def statement_of(students: int) -> gbs.Statement:
    lines = [
        gbs.StatementLine(
            student_id=f"s{i:03d}", value=str(50 + i % 50), points=str(50 + i % 50), passed=True
        )
        for i in range(students)
    ]
    return gbs.Statement(
        statement_id="st",
        series="ST",
        number=1,
        kind="section",
        control_kind="intermediate_attestation",
        formed_at=datetime.now(UTC).isoformat(),
        lines=lines,
        signers=[gbs.Signer(person_id="t1", role="teacher")],
        content_hash="ab" * 32,
        names=gbs.StatementNames(
            university="С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
            group="ЖМ-301",
            discipline="D01 Ішкі аурулар",
            people={f"s{i:03d}": f"Әбілқасымов Ғани Қайратұлы {i}" for i in range(students)}
            | {"t1": "Төлеуова Ә."},
            time_zone="Asia/Almaty",
            profile_code="kz-medical",
        ),
    )


def bare_pdf(rows: Sequence[Sequence[str]]) -> bytes:
    pdf = FPDF()
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.set_font(FAMILY, "", 8)
    pdf.add_page()
    for row in rows:
        for cell in row:
            pdf.cell(30, 5, cell, border=1)
        pdf.ln()
    return bytes(pdf.output())


def render_statement() -> None:
    statement = statement_of(200)
    ours, raw = [], []
    for _ in range(5):
        started = time.perf_counter()
        record = record_of(statement, Context("kz-medical", lesson_type="practical", term="1"))
        content = render_pdf(statement_layout(record, "https://ejournal.example/verify/ST-000001?hash=abab"))
        ours.append(time.perf_counter() - started)
        rows = [
            (str(ln.position), ln.student_name, ln.result, ln.letter, ln.traditional) for ln in record.lines
        ]
        started = time.perf_counter()
        bare_pdf(rows)
        raw.append(time.perf_counter() - started)
    print(f"statement PDF: 200 students, {len(content):,} bytes")
    figure("render a 200-student statement PDF", statistics.median(ours), statistics.median(raw), "s", False)


async def bare_replay(js: object, total: int) -> float:
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    started = time.perf_counter()
    seen = 0
    for service in STREAMS:
        sub = await js.pull_subscribe(  # type: ignore[attr-defined]
            "",
            stream=stream_name(service),
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT),
        )
        want = (await js.stream_info(stream_name(service))).state.messages  # type: ignore[attr-defined]
        got = 0
        while got < want:
            msgs = await sub.fetch(500, timeout=5)
            for msg in msgs:
                await msg.ack()
            got += len(msgs)
        seen += got
        await sub.unsubscribe()
    assert seen == total, (seen, total)
    return time.perf_counter() - started


async def rebuild_semester() -> None:
    demo = build(SEMESTER)
    with servers() as s:
        url = s.database("bench_rebuild", "reporting")
        nc = await connect(s.nats.url, "bench-rebuild")
        js = nc.jetstream()
        for service in STREAMS:
            await ensure_stream(js, service)
        await publish(js, demo.events)
        engine = make_engine(url)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        consumers = ReadModelConsumers(js, Deps.over(sessions), LagTracker())
        consumers.start()
        first = await wait_caught_up(consumers, timeout=900)
        # CPU per 1,000 events of each process (the load changes it far less than the time); with
        # EJOURNAL_BENCH_PROFILE, py-spy on the benchmark's process (reporting's consumers) meanwhile.
        assert s.nats.process is not None
        pids = {
            "bench (reporting's consumers | bare replay)": os.getpid(),
            "postgres": postmaster_pid(s.postgres.data_dir),
            "nats": s.nats.process.pid,
        }
        load = os.getloadavg()[0]
        with (
            profiled("rebuild", {"reporting": os.getpid()}),
            cpu_used(pids, frozenset({"postgres"})) as spent,
        ):
            started = time.perf_counter()
            await rebuild(Deps.over(sessions), consumers=consumers)
            # The rebuild's own finishing step waits until every stream is applied (one poller, not two).
            assert consumers.after_rebuild is not None
            await consumers.after_rebuild
            ours = time.perf_counter() - started
        with cpu_used(pids, frozenset({"postgres"})) as raw_spent:
            raw = await bare_replay(js, len(demo.events))
        per = max(len(demo.events) // 1000, 1)
        print_cpu(spent, per, "1,000 events, rebuild")
        print_cpu(raw_spent, per, "1,000 events, bare replay")
        print(f"  load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end", flush=True)
        marks = demo.count("MarkRecorded")
        print(f"demo semester: {len(demo.events):,} events ({marks:,} marks), first build {first:.1f} s")
        figure("reporting_rebuild_events_per_s", len(demo.events) / ours, len(demo.events) / raw, "events/s")
        await consumers.stop()
        await nc.close()
        await engine.dispose()


def main() -> None:
    asyncio.run(event_lag())
    asyncio.run(rebuild_semester())  # the statement's rendering and signing: bench/statements.py
