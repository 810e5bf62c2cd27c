"""Waiting for the demo data to reach every service before the stack says it is up.

The seed writes only curriculum's and identity's records; the gradebook opens journals, reporting
projects them and the workflow starts deadlines from the events those writes leave in the outboxes.
Until that chain has run, a teacher signing in sees no journals. The stack is settled when no outbox
holds an unpublished event and no JetStream consumer has a message pending or unacknowledged, twice in
a row a moment apart (an event being handled between the two looks is caught by the second: it leaves
either an unpublished row or a pending message behind)."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable, Iterable

import psycopg

QUIET_LOOKS = 2
BETWEEN_LOOKS = 0.5


def unpublished_events(database_urls: Iterable[str]) -> int:
    total = 0
    for url in database_urls:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
            total += int(row[0]) if row else 0
    return total


def pending_messages(monitor_port: int) -> int:
    """Messages JetStream has not yet delivered to, or had acknowledged by, its durable consumers."""
    address = f"http://127.0.0.1:{monitor_port}/jsz?consumers=true"
    with urllib.request.urlopen(address, timeout=5) as reply:
        report = json.load(reply)
    total = 0
    for account in report.get("account_details", []):
        for stream in account.get("stream_detail", []):
            for consumer in stream.get("consumer_detail", []):
                total += int(consumer.get("num_pending", 0)) + int(consumer.get("num_ack_pending", 0))
    return total


def wait_settled(
    database_urls: list[str], monitor_port: int, timeout: float, check: Callable[[], None] = lambda: None
) -> float:
    """Seconds it took; TimeoutError naming what was still moving. `check` runs between looks (the
    supervisor's restart of a child that died meanwhile)."""
    started = time.monotonic()
    quiet = 0
    while quiet < QUIET_LOOKS:
        check()
        unpublished, pending = unpublished_events(database_urls), pending_messages(monitor_port)
        quiet = quiet + 1 if unpublished == pending == 0 else 0
        if time.monotonic() - started > timeout:
            raise TimeoutError(
                f"the demo data did not settle in {timeout:.0f} s: {unpublished} events unpublished, "
                f"{pending} messages pending"
            )
        if quiet < QUIET_LOOKS:
            time.sleep(BETWEEN_LOOKS)
    return time.monotonic() - started
