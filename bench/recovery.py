"""Recovery under faults, on the whole stack started by the real launcher (issue 14).

A teacher's client writes marks through the gateway without pause, one cell per request, each with
its own Idempotency-Key, resending the same request while the answer is 503. It goes round the
journal's empty cells and then round them again with the next value and the cell's version, so the
later kills happen under load as well. Meanwhile each of
PostgreSQL, NATS, Temporal, the gradebook service, the gateway and the workflow worker is killed with
SIGKILL, one at a time; the supervisor restarts it. Figures per component: seconds from the kill until
the gateway's /healthz says "ok" again with a new process in place (time to recover), the 503s the
client saw, any other non-2xx answer (must be none), and the writes lost (accepted, yet absent or
twice in the record or the event stream: must be 0).

`python -m bench.recovery` starts its own stack in a temporary home and prints the figures;
tests/e2e/test_recovery.py runs the same scenario and asserts them.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import psycopg

from bench import report
from deploy.demo import university as u

# What identifies each child among the launcher's descendants (its command line).
COMPONENTS = {
    "postgresql": ("postgres", "-D"),
    "nats": ("nats-server",),
    "temporal": ("temporal", "start-dev"),
    "gradebook": ("-m", "services.gradebook"),
    "gateway": ("-m", "services.gateway"),
    "workflow": ("-m", "services.workflow"),
}
TEACHER = u.KZ_TEACHER1
VALUES = ("85", "86", "87")  # one per round over the cells (kz-medical's scale is 0..100)


def find(launcher_pid: int, component: str) -> psutil.Process | None:
    words = COMPONENTS[component]
    for child in psutil.Process(launcher_pid).children(recursive=True):
        try:
            cmdline = child.cmdline()
        except psutil.Error:
            continue
        matches = bool(cmdline) and all(any(w == p or p.endswith(f"/{w}") for p in cmdline) for w in words)
        # PostgreSQL: the postmaster (the launcher's child), not one of its backends
        if matches and (component != "postgresql" or child.ppid() == launcher_pid):
            return child
    return None


Cell = tuple[str, str]  # (column_id, student_id)


@dataclass
class Load:
    """The teacher's client: one cell per write, the same request again while it is 503; round after
    round over the cells, each write naming the version it saw (per-cell optimistic concurrency)."""

    http: httpx.Client
    journal_id: str
    cells: list[Cell]
    accepted: Counter[Cell] = field(default_factory=Counter)  # accepted writes per cell
    versions: Counter[Cell] = field(default_factory=Counter)  # the version each cell has now
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    accepted_during: dict[str, int] = field(default_factory=dict)  # per kill, until 1 s after recovery

    def run(self) -> None:
        for round_ in itertools.count():
            for cell in self.cells:
                if self.stop.is_set():
                    return
                self.write(cell, VALUES[round_ % len(VALUES)])

    def write(self, cell: Cell, value: str) -> None:
        column_id, student_id = cell
        wanted = {"column_id": column_id, "student_id": student_id, "value": value}
        body = {"cells": [wanted | {"expected_version": self.versions[cell]}]}
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        while not self.stop.is_set():
            try:
                reply = self.http.post(
                    f"/api/v1/journals/{self.journal_id}/marks", json=body, headers=headers
                )
            except httpx.TransportError:  # the gateway itself is down: a connection refused
                self.statuses[0] += 1
                time.sleep(0.2)
                continue
            self.statuses[reply.status_code] += 1
            if reply.status_code == 200:
                self.accepted[cell] += 1
                self.versions[cell] = int(reply.json()["cells"][0]["version"])
                return
            if reply.status_code != 503:
                self.unexpected.append(f"{reply.status_code} {reply.text[:300]}")
                return
            time.sleep(min(0.5, float(reply.headers.get("retry-after", "1"))))


def signed_in(base: str) -> httpx.Client:
    http = httpx.Client(base_url=base, timeout=30, headers={"Accept-Language": "ru"})
    reply = http.post("/api/v1/session", json={"login": TEACHER.login, "password": u.DEMO_PASSWORD})
    reply.raise_for_status()
    http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return http


def empty_cells(http: httpx.Client) -> tuple[str, list[Cell]]:
    """The teacher's journal with the most empty lesson cells in open sections, dated up to today."""
    best: tuple[str, list[Cell]] = ("", [])
    today = time.strftime("%Y-%m-%d")
    for journal in http.get("/api/v1/my/journals").json()["journals"]:
        grid = http.get(f"/api/v1/journals/{journal['journal_id']}/grid").json()
        closed = {s["section"] for s in journal.get("sections", []) if s.get("closed_at")}
        columns = [
            c["column_id"] for c in grid.get("columns", [])
            if c.get("kind") == "lesson" and c.get("date", "") <= today and c.get("section") not in closed
        ]  # fmt: skip
        filled = {(c["column_id"], c["student_id"]) for c in grid.get("cells", [])}
        students = [s["student_id"] for s in grid.get("students", [])]
        cells = [(c, s) for c in columns for s in students if (c, s) not in filled]
        if len(cells) > len(best[1]):
            best = (journal["journal_id"], cells)
    return best


def healthy(http: httpx.Client) -> bool:
    try:
        reply = http.get("/healthz", timeout=3)
    except httpx.TransportError:
        return False
    return reply.status_code == 200 and reply.json().get("status") == "ok"


def kill_and_time(
    launcher_pid: int, component: str, http: httpx.Client, limit: float = 90
) -> tuple[float, float]:
    """SIGKILL the component; seconds until its new process exists (the supervisor's restart, the raw
    figure) and until the gateway's /healthz is "ok" again (the recovery the users see)."""
    victim = find(launcher_pid, component)
    assert victim is not None, f"no {component} process under the launcher"
    killed_at = time.monotonic()
    os.kill(victim.pid, signal.SIGKILL)
    respawned = 0.0
    while time.monotonic() - killed_at < limit:
        again = find(launcher_pid, component)
        if again is not None and again.pid != victim.pid:
            respawned = respawned or time.monotonic() - killed_at
            if healthy(http):
                return respawned, time.monotonic() - killed_at
        time.sleep(0.1)
    raise AssertionError(f"{component} did not come back within {limit:.0f} s")


@dataclass
class Figures:
    recovery_seconds: dict[str, float]
    respawn_seconds: dict[str, float]
    accepted: int
    rounds: int  # the most writes any one cell received: > 1 once the load went round again
    accepted_during_kills: dict[str, int]  # writes accepted from each kill until 1 s after /healthz ok
    statuses: dict[int, int]
    unexpected: list[str]
    lost: int
    duplicated: int
    events_missing: int
    events_duplicated: int
    chain_intact: bool


def record(home: Path, pg_port: str, journal_id: str) -> Counter[Cell]:
    """How many history entries of the load's values each cell has in the gradebook's own database."""
    password = (home / "postgres.password").read_text().strip()
    url = f"postgresql://postgres:{password}@127.0.0.1:{pg_port}/ejournal_gradebook"
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT column_id::text, student_id::text FROM history "
            "WHERE journal_id = %s AND new_value = ANY(%s)",
            (journal_id, list(VALUES)),
        ).fetchall()
    return Counter((c, s) for c, s in rows)


def events(nats_port: str, journal_id: str) -> Counter[Cell]:
    """Every MarkRecorded of the journal in the gradebook's stream, read by a plain subscriber."""
    import asyncio

    import nats

    from ejournal.gradebook.v1 import events_pb2

    async def read() -> Counter[Cell]:
        client = await nats.connect(f"nats://127.0.0.1:{nats_port}")
        found: Counter[Cell] = Counter()
        subject = events_pb2.MarkRecorded.DESCRIPTOR.full_name
        sub = await client.jetstream().subscribe(
            f"ejournal.gradebook.v1.{subject.rsplit('.', 1)[1]}", ordered_consumer=True
        )
        while True:
            try:
                msg = await sub.next_msg(timeout=3)
            except TimeoutError:
                break
            event = events_pb2.MarkRecorded.FromString(msg.data)
            if event.journal_id == journal_id and event.value in VALUES:
                found[(event.lesson_id, event.student_id)] += 1
        await client.close()
        return found

    return asyncio.run(read())


def run(launcher_pid: int, env: dict[str, str], home: Path) -> Figures:
    base = f"http://127.0.0.1:{env['EJOURNAL_GATEWAY_PORT']}"
    http = signed_in(base)
    journal_id, cells = empty_cells(http)
    load = Load(signed_in(base), journal_id, cells)
    writer = threading.Thread(target=load.run, name="load", daemon=True)
    writer.start()
    recovery: dict[str, float] = {}
    respawn: dict[str, float] = {}
    try:
        for component in COMPONENTS:
            time.sleep(1.0)  # some writes between faults
            before = sum(load.accepted.values())
            respawned, recovered = kill_and_time(launcher_pid, component, http)
            respawn[component], recovery[component] = round(respawned, 2), round(recovered, 2)
            time.sleep(1.0)  # and some after it came back
            load.accepted_during[component] = sum(load.accepted.values()) - before
    finally:
        load.stop.set()
        writer.join(60)
    time.sleep(3)  # the outbox relay publishes what is left
    written = record(home, env["EJOURNAL_PG_PORT"], journal_id)
    published = events(env["EJOURNAL_NATS_PORT"], journal_id)
    verification = http.get(f"/api/v1/journals/{journal_id}/verification").json()
    # The cells were empty before the load: every history entry and event of them is one of its writes.
    accepted = load.accepted
    return Figures(
        recovery_seconds=recovery,
        respawn_seconds=respawn,
        accepted=sum(accepted.values()),
        rounds=max(accepted.values(), default=0),
        statuses=dict(load.statuses),
        unexpected=load.unexpected,
        lost=sum(max(0, n - written[cell]) for cell, n in accepted.items()),
        duplicated=sum(max(0, written[cell] - accepted[cell]) for cell in written),
        events_missing=sum(max(0, n - published[cell]) for cell, n in accepted.items()),
        events_duplicated=sum(max(0, published[cell] - accepted[cell]) for cell in published),
        accepted_during_kills=dict(load.accepted_during),
        chain_intact=bool(verification.get("intact")),
    )


def main() -> None:
    from tests.stack import launch, stack_environment, stop, wait_for_line

    home = Path(tempfile.mkdtemp(prefix="ejournal-recovery-"))
    env = stack_environment(home)
    process = launch(env)
    try:
        wait_for_line(process, "ejournal is up", timeout=300)
        figures = run(process.pid, env, home)
    finally:
        stop(process)
    for component, recovered in figures.recovery_seconds.items():
        respawned = figures.respawn_seconds[component]
        report.figure(
            f"{component}: SIGKILL → /healthz ok (raw: → new process)", recovered, respawned, "s", False
        )
    print(json.dumps(figures.__dict__, indent=2, default=str))


if __name__ == "__main__":
    main()
