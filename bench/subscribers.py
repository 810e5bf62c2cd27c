"""The subscribers service's figures (issue 20), each beside its raw counterpart in the same run:

    .venv/bin/python -m bench subscribers

1. Webhook deliveries per second: N events of one university (spread over journals) already turned
   into deliveries, then the dispatcher sends them all (canonical JSON, Standard Webhooks signature,
   CloudEvents headers, order per journal, outcomes recorded in PostgreSQL) to an HTTP receiver in its
   own process. Raw: a bare loop of httpx POSTs of the same bodies to the same receiver, one after the
   other, nothing recorded.
2. Lag p99 at 1,000 events/s: events published on JetStream at that rate (as the outbox relay does);
   the lag of an event is its arrival at the receiver minus its `ce-time`. Ours: the service's
   consumer (inbox, routing, a delivery row) and dispatcher. Raw: a bare JetStream pull consumer that
   POSTs each event's bytes to the same receiver as soon as it is fetched.
The receiver (uvicorn, a few lines of ASGI below) answers 204 and keeps each arrival's lag.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.harness import servers
from bench.report import figure, percentile, size
from deploy.local.servers import free_port
from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.contract import to_json
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import ReceivedEvent, headers_for, stream_name, stream_subjects
from ejournal_platform.logging import configure_logging
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxWriter
from services.subscribers.adapters import tables
from services.subscribers.service_layer import admin
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.dispatch import Dispatcher
from services.subscribers.service_layer.intake import Intake

ARRIVALS: list[float] = []  # the receiver's lags, seconds


async def sink(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The receiver: read the body, note the lag from ce-time, answer 204; GET returns the lags."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    if scope["method"] == "GET":
        body = ",".join(f"{x:.6f}" for x in ARRIVALS).encode()
        ARRIVALS.clear()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    headers = dict(scope["headers"])
    sent = headers.get(b"ce-time")
    if sent:
        ARRIVALS.append(time.time() - datetime.fromisoformat(sent.decode()).timestamp())
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.subscribers:sink", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            return process
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("the receiver did not start")


def structure(university: str, group: str) -> list[tuple[str, Any]]:
    return [
        (
            f"university/{university}",
            cur.StructureUnitDefined(unit_id=university, kind="university", code="U"),
        ),
        (
            f"group/{group}",
            cur.StructureUnitDefined(unit_id=group, kind="group", code="G", parent_id=university),
        ),
    ]


def marks(group: str, journals: int, n: int) -> list[tuple[str, Any]]:
    ids = [str(uuid.uuid4()) for _ in range(journals)]
    opened = [(f"journal/{j}", gb.JournalOpened(journal_id=j, group_id=group)) for j in ids]

    def mark(i: int) -> gb.MarkRecorded:
        journal = ids[i % journals]
        student = str(uuid.uuid4())
        return gb.MarkRecorded(
            journal_id=journal, lesson_id=f"l{i}", student_id=student, value="87", version=i + 1
        )

    return opened + [(f"journal/{ids[i % journals]}", mark(i)) for i in range(n)]


def received(subject: str, payload: Any) -> ReceivedEvent:
    return ReceivedEvent(str(uuid.uuid4()), payload.DESCRIPTOR.full_name, "ejournal/gradebook", subject,
                         datetime.now(UTC).isoformat(), payload.SerializeToString(), {})  # fmt: skip


async def register(sessions: async_sessionmaker[Any], university: str, port: int) -> None:
    admin_of_university = Principal("bench-admin", (RoleGrant("administrator", "university", university),))
    request = admin.RegisterWebhook(
        university_id=university, name="bench", url=f"http://127.0.0.1:{port}/in",
        event_types=["ejournal.gradebook.>"], content_type="", secret="", idempotency_key="",
    )  # fmt: skip
    await admin.register(Deps.over(sessions, allow_loopback_http=True), admin_of_university, request)


async def throughput(url: str, port: int, n: int) -> tuple[float, float]:
    engine = make_engine(url, pool_size=4)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    university, group = str(uuid.uuid4()), str(uuid.uuid4())
    await register(sessions, university, port)
    intake = Intake()
    events = [received(s, p) for s, p in structure(university, group) + marks(group, 50, n)]
    for event in events:
        async with UnitOfWork(sessions, OutboxWriter(tables.outbox)) as uow:
            await intake.handle(uow, event)
            await uow.commit()
    dispatcher = Dispatcher(engine, Deps.over(sessions), lambda: datetime.now(UTC), retry_delays=(60,))
    started = time.perf_counter()
    while await dispatcher.dispatch_due():
        pass
    ours_rate = (len(events) - 2) / (time.perf_counter() - started)
    async with engine.connect() as conn:
        delivered = (
            await conn.execute(text("SELECT count(*) FROM deliveries WHERE status = 'delivered'"))
        ).scalar()
    assert delivered == len(events) - 2, delivered
    await dispatcher.close()
    await engine.dispose()
    bodies = [(to_json(e.type, e.data), e) for e in events[2:]]
    started = time.perf_counter()
    async with httpx.AsyncClient() as http:
        for body, e in bodies:
            reply = await http.post(f"http://127.0.0.1:{port}/in", content=body,
                                    headers={"content-type": "application/json", "ce-id": e.id})  # fmt: skip
            assert reply.status_code == 204
    raw_rate = len(bodies) / (time.perf_counter() - started)
    await clear(port)
    return ours_rate, raw_rate


async def clear(port: int) -> None:
    """Empty the receiver's list of lags (GET returns and clears it)."""
    async with httpx.AsyncClient() as http:
        await http.get(f"http://127.0.0.1:{port}/")


async def paced_publish(js: Any, events: list[tuple[str, Any]], rate: float) -> float:
    started = time.perf_counter()
    acks = []
    for i, (subject, payload) in enumerate(events):
        due = started + i / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        headers = headers_for(str(uuid.uuid4()), payload.DESCRIPTOR.full_name, "ejournal/gradebook", subject,
                              datetime.now(UTC).isoformat())  # fmt: skip
        acks.append(
            await js.publish_async(payload.DESCRIPTOR.full_name, payload.SerializeToString(), headers=headers)
        )
    await asyncio.gather(*acks)
    return len(events) / (time.perf_counter() - started)


async def lags(port: int, expected: int, seconds: float = 900) -> list[float]:
    found: list[float] = []
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as http:
        while len(found) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            text_ = (await http.get(f"http://127.0.0.1:{port}/")).text
            found += [float(x) for x in text_.split(",") if x]
    return found


async def lag_ours(url: str, nats_url: str, port: int, n: int, rate: float) -> tuple[float, float]:
    engine = make_engine(url, pool_size=6)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    nc = await connect(nats_url, "bench-subscribers")
    js = nc.jetstream()
    await ensure_stream(js, "curriculum")
    await ensure_stream(js, "gradebook")
    university, group = str(uuid.uuid4()), str(uuid.uuid4())
    await register(sessions, university, port)
    dispatcher = Dispatcher(engine, Deps.over(sessions), lambda: datetime.now(UTC), retry_delays=(60,),
                            poll_seconds=0.05, park_keep=timedelta(hours=1))  # fmt: skip
    intake = Intake(dispatcher.wake)
    tag = uuid.uuid4().hex[:6]
    consumers = [
        EventConsumer(js, lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)), tables.inbox,
                      name=f"bench-{service}-{tag}", stream=stream_name(service),
                      subjects=stream_subjects(service), handler=intake.handle)
        for service in ("curriculum", "gradebook")
    ]  # fmt: skip
    tasks = [asyncio.create_task(c.run()) for c in consumers] + [asyncio.create_task(dispatcher.run())]
    try:
        await paced_publish(js, structure(university, group), 100)
        await asyncio.sleep(1)
        events = marks(group, 50, n)
        await clear(port)
        achieved = await paced_publish(js, events, rate)
        found = await lags(port, len(events))
        assert len(found) == len(events), (len(found), len(events))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await dispatcher.close()
        await nc.close()
        await engine.dispose()
    return percentile(found, 99), achieved


async def lag_raw(nats_url: str, port: int, n: int, rate: float) -> tuple[float, float]:
    nc = await connect(nats_url, "bench-raw")
    js = nc.jetstream()
    name = f"bench-raw-{uuid.uuid4().hex[:6]}"
    sub = await js.pull_subscribe("ejournal.gradebook.>", durable=name, stream=stream_name("gradebook"))
    # Start after what is already in the stream: only this run's events count.
    while True:
        try:
            for m in await sub.fetch(500, timeout=0.5):
                await m.ack()
        except TimeoutError:
            break

    async def forward() -> None:
        async with httpx.AsyncClient() as http:
            while True:
                try:
                    batch = await sub.fetch(200, timeout=0.2)
                except TimeoutError:
                    continue
                for m in batch:
                    headers = {k: v for k, v in (m.headers or {}).items() if k.startswith("ce-")}
                    await http.post(f"http://127.0.0.1:{port}/in", content=m.data, headers=headers)
                    await m.ack()

    task = asyncio.create_task(forward())
    try:
        await clear(port)
        events = marks(str(uuid.uuid4()), 50, n)
        achieved = await paced_publish(js, events, rate)
        found = await lags(port, len(events))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()
    return percentile(found, 99), achieved


async def main() -> None:
    configure_logging("bench", "WARNING", "console")
    port = free_port()
    receiver = start_receiver(port)
    try:
        with servers() as s:
            n = size(500, 100)
            ours_rate, raw_rate = await throughput(s.database("bench_subscribers_1", "subscribers"), port, n)
            figure("webhook deliveries/s (dispatcher vs bare POST loop)", ours_rate, raw_rate, "msg/s")
            rate, count = 1000.0, size(1000, 200)
            database = s.database("bench_subscribers_2", "subscribers")
            ours_p99, ours_rate_achieved = await lag_ours(database, s.nats.url, port, count, rate)
            raw_p99, raw_rate_achieved = await lag_raw(s.nats.url, port, count, rate)
            print(
                f"  published at {ours_rate_achieved:,.0f} and {raw_rate_achieved:,.0f} events/s", flush=True
            )
            figure("lag p99 at 1,000 events/s (publish to receiver)", ours_p99 * 1000, raw_p99 * 1000, "ms",
                   higher_is_better=False)  # fmt: skip
    finally:
        receiver.terminate()
        receiver.wait(10)
