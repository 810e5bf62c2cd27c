"""Loading the demo data of both regulation profiles into the local stack (EJOURNAL_DEMO=0 skips it)."""

from __future__ import annotations

import asyncio
import importlib
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from deploy.local.demo_stamp import DemoStamps, fingerprint

ROOT = Path(__file__).resolve().parents[2]


def seed_demo(home: Path, url_of: Callable[[str], str], services: tuple[str, ...]) -> list[str]:
    """Each service that has demo data has a seed deploy/demo/seed/<name>.py with an async
    seed_demo(database_url); it writes through the service's own unit of work, so its events wait
    in the outbox until the service starts and relays them. A database that already holds this
    demo (same sources, same academic year: `demo_stamp.py`) is not seeded again. Returns the
    services seeded."""
    import psycopg

    stamps = DemoStamps(home / "demo-stamps.json")
    seeded: list[str] = []
    admin = url_of("postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        oids: dict[str, int] = dict(conn.execute("SELECT datname, oid::bigint FROM pg_database").fetchall())
    for service in services:
        try:
            module = importlib.import_module(f"deploy.demo.seed.{service}")
        except ModuleNotFoundError as missing:
            if missing.name != f"deploy.demo.seed.{service}":
                raise
            continue
        stamp = fingerprint(ROOT, service, oids[f"ejournal_{service}"], date.today())
        if stamps.is_current(service, stamp):
            continue
        asyncio.run(module.seed_demo(url_of(f"ejournal_{service}")))
        stamps.record(service, stamp)
        seeded.append(service)
    return seeded


def seed_demo_meanwhile(
    home: Path, url_of: Callable[[str], str], services: tuple[str, ...]
) -> Callable[[], None]:
    """Load the demo data in a background thread while the servers and services start (seeding
    needs only PostgreSQL, and a service relays what the seed commits whenever it commits it);
    the returned function waits for it and re-raises its error. Measured warm: the start takes
    the longer of the two instead of their sum (see docs/operations.md)."""
    failure: list[BaseException] = []
    report: list[str] = []
    started = time.monotonic()

    def run() -> None:
        try:
            seeded = seed_demo(home, url_of, services)
            took = f"{time.monotonic() - started:.1f} s"
            report.append(f"loaded into {', '.join(seeded)} in {took}" if seeded else "already loaded")
        except BaseException as error:  # reported by the waiting function, in the main thread
            failure.append(error)

    worker = threading.Thread(target=run, name="demo-seed", daemon=True)
    worker.start()

    def wait() -> None:
        worker.join()
        if failure:
            raise RuntimeError(f"the demo data failed to load: {failure[0]!r}") from failure[0]
        print(f"· demo data {report[0]}", flush=True)

    return wait
