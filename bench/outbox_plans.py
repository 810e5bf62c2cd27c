"""EXPLAIN (ANALYZE, BUFFERS) of the outbox relay's and the inbox claim's queries on partitioned event
tables holding weeks of events, and what pruning a week costs as a DROP against the DELETE it replaced.

`python -m bench.outbox_plans [ROWS]` (default 1,000,000 outbox rows and as many inbox ids, spread over
the last three weeks, 1,000 of them unpublished). Not a benchmark of `python -m bench`: it prints plans
(docs/scale.md keeps one run). The relay's statements are rebuilt here as OutboxRelay builds them; the
writes run in transactions that are rolled back.
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.harness import servers
from ejournal_platform.db import make_engine, new_metadata
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.inbox import claim
from ejournal_platform.outbox import define_inbox, define_outbox

BATCH = 500


async def explain(conn: AsyncConnection, title: str, statement: Any) -> None:
    """The plan of `statement` executed with its parameters bound as the service binds them."""
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    result = await conn.exec_driver_sql(
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + compiled.string, compiled.params
    )
    plan = "\n".join(str(row[0]) for row in result)
    print(f"\n### {title}\n\n```\n{plan}\n```", flush=True)


async def fill(conn: AsyncConnection, rows: int) -> None:
    # Three weeks of events, as a relay running then would have partitioned them; 1,000 still waiting
    # (the newest), and one waiting in the oldest week (so that week is kept and DELETEd, not dropped).
    await conn.execute(text("SELECT ejournal_event_partitions(3, now() - interval '21 days')"))
    await conn.execute(
        text(
            "INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload, published_at) "
            "SELECT gen_random_uuid(), 'ejournal.gradebook.v1.MarkRecorded', 'journal/j', "
            "now() - (:rows - i) * interval '21 days' / :rows, '\\x0a0131', "
            "CASE WHEN i > :rows - 1000 THEN NULL ELSE now() - (:rows - i) * interval '21 days' / :rows END "
            "FROM generate_series(1, :rows) AS i"
        ),
        {"rows": rows},
    )
    await conn.execute(
        text("UPDATE outbox SET published_at = NULL WHERE seq = (SELECT min(seq) FROM outbox)")
    )
    await conn.execute(
        text(
            "INSERT INTO inbox (consumer, event_id, occurred_at, processed_at) "
            "SELECT 'reporting-gradebook', gen_random_uuid(), t, t "
            "FROM generate_series(1, :rows) AS i, "
            "LATERAL (SELECT now() - (:rows - i) * interval '21 days' / :rows) AS w(t)"
        ),
        {"rows": rows},
    )
    await conn.execute(text("ANALYZE outbox"))
    await conn.execute(text("ANALYZE inbox"))


async def measure(rows: int) -> None:
    with servers() as s:
        metadata = new_metadata()
        outbox = define_outbox(metadata)
        inbox = define_inbox(metadata)
        engine = make_engine(s.database("bench_outbox_plans"))
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            started = time.perf_counter()
            await fill(conn, rows)
            print(f"filled {rows:,} outbox rows and inbox ids in {time.perf_counter() - started:.1f} s")
        async with engine.connect() as conn:
            parts = await conn.execute(
                text(
                    "SELECT c.relname, c.reltuples::bigint FROM pg_inherits i "
                    "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'outbox'::regclass ORDER BY 1"
                )
            )
            print("\noutbox partitions (estimated rows): " + ", ".join(f"{n} {r:,}" for n, r in parts))
            await conn.rollback()
            relay_select = (
                select(outbox.c.seq, outbox.c.event_id, outbox.c.event_type, outbox.c.subject,
                       outbox.c.occurred_at, outbox.c.payload, outbox.c.traceparent)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.seq)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )  # fmt: skip
            if True:  # one transaction, rolled back
                await explain(conn, "relay: the next batch of unpublished rows", relay_select)
                seqs = list((await conn.execute(relay_select)).scalars())
                await explain(
                    conn,
                    f"relay: marking {len(seqs)} rows published (by seq, without the partition key)",
                    update(outbox).where(outbox.c.seq.in_(seqs)).values(published_at=datetime.now(UTC)),
                )
                await explain(
                    conn,
                    "relay: backlog gauges",
                    select(func.count(), func.min(outbox.c.occurred_at)).where(
                        outbox.c.published_at.is_(None)
                    ),
                )
                now = datetime.now(UTC).isoformat()
                events = [ReceivedEvent(str(uuid.uuid4()), "t", "s", "j", now, b"", {}) for _ in range(BATCH)]
                await explain(
                    conn,
                    f"inbox: claiming a batch of {BATCH} ids",
                    claim(inbox, "reporting-gradebook", events),
                )
                await conn.rollback()
            for title, statement in (
                ("DELETE of the rows older than 7 days (what the unpartitioned tables did)",
                 "DELETE FROM outbox WHERE published_at < now() - interval '7 days'; "
                 "DELETE FROM inbox WHERE processed_at < now() - interval '7 days'"),
                ("ejournal_prune_event_partitions('7 days') (drops whole weeks)",
                 "SELECT * FROM ejournal_prune_event_partitions('7 days')"),
            ):  # fmt: skip
                if True:  # one transaction, rolled back
                    started = time.perf_counter()
                    for part in statement.split("; "):
                        result = await conn.execute(text(part))
                    elapsed = time.perf_counter() - started
                    shown = result.one() if result.returns_rows else f"{result.rowcount:,} inbox rows"
                    print(f"\n{title}: {elapsed * 1000:,.0f} ms ({shown}), rolled back")
                    await conn.rollback()
        await engine.dispose()


def main() -> None:
    import asyncio

    asyncio.run(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))


if __name__ == "__main__":
    main()
