"""Claiming events in a consumer's inbox: the one statement both consumers (consumer.py,
batch_consumer.py) use, so each event id is applied at most once per consumer.

The inbox is partitioned by week of the event's time (event_partitions.py), and a partitioned table's
primary key must hold its partition key: it is (consumer, event_id, occurred_at). What keeps
(consumer, event_id) unique, as the unpartitioned key did:

- every delivery of one event carries the same ce-time (the relay writes it from the outbox row), so
  two deliveries racing each other have the same key and the second waits for the first and is
  refused by the key (ON CONFLICT DO NOTHING);
- an id already claimed with another time (rows copied by the migration, whose event time was never
  recorded: they carry their processed_at) is found by a look-up of (consumer, event_id), the key's
  prefix. It looks only at rows whose time is at most a day before the event's: a copied row's
  time is when the event was processed, which is after the event happened (give or take the two
  clocks' skew, far under a day). The look-up is one scan for the whole batch (`event_id = ANY(ids)`,
  from a day before the batch's earliest event), made once before the rows are inserted: PostgreSQL
  prunes the older weeks' partitions at execution and each remaining partition's key index is
  scanned once. A look-up per id (a subquery with LIMIT 1) was an Append over those partitions for
  every id: a quarter of PostgreSQL's time in a rebuild (docs/perf/README.md, stop 30).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import AsyncCursor
from sqlalchemy import (
    DateTime,
    Table,
    Text,
    Uuid,
    any_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from ejournal_platform.binary_statements import BinaryStatement
from ejournal_platform.events import ReceivedEvent

# An event without a readable ce-time (none of ours; a hand-published test message) is claimed in the
# DEFAULT partition, with one time for all its deliveries, so they still meet on the key.
UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=UTC)

# How much earlier than the event's own time an earlier claim of it may be recorded (clock skew).
SKEW_MARGIN = timedelta(days=1)


def event_time(event: ReceivedEvent) -> datetime:
    try:
        time = datetime.fromisoformat(event.time)
    except ValueError:
        return UNKNOWN_TIME
    return time if time.tzinfo else time.replace(tzinfo=UTC)


def _first_deliveries(events: Sequence[ReceivedEvent]) -> list[ReceivedEvent]:
    first = {event.id: event for event in reversed(events)}  # one row per id, its first delivery
    return list(reversed(first.values()))


def claim(inbox: Table, consumer: str, events: Sequence[ReceivedEvent]) -> ReturningInsert[Any]:
    """INSERT ... RETURNING event_id: the ids returned are the events this transaction may apply.

    The batch goes in as array parameters (ids, times, and the earliest time an earlier claim of one of
    them may carry), unnested into rows, so the statement has one shape whatever the batch's size and
    SQLAlchemy compiles it once per consumer: a VALUES row per id was a new statement for every batch
    size, and compiling ~500 rows anew took more time than the projections themselves
    (docs/perf/README.md, lane lag)."""
    ordered = _first_deliveries(events)
    # The ids go as text and PostgreSQL reads them as UUIDs: uuid.UUID() in Python was ~3 % of a
    # rebuild's consumer process (a malformed id fails the batch either way).
    ids = cast(bindparam("event_ids", [e.id for e in ordered], type_=ARRAY(Text)), ARRAY(Uuid()))
    times = bindparam("event_times", [event_time(e) for e in ordered], type_=ARRAY(DateTime(timezone=True)))
    earliest = bindparam("earliest", _earliest(ordered), type_=DateTime(timezone=True))
    claimed = (
        func.unnest(ids, times)
        .table_valued(column("event_id", Uuid), column("occurred_at", DateTime(timezone=True)))
        .render_derived(name="claimed")
    )
    # The batch's ids already in the inbox under any time since `earliest`, found by one scan of each
    # partition left after pruning, before anything is inserted (MATERIALIZED: the planner may not
    # turn it back into a look-up per id). Usually empty; a redelivery's id is in it.
    before = (
        select(inbox.c.event_id, inbox.c.occurred_at)
        .where(inbox.c.consumer == consumer, inbox.c.event_id == any_(ids), inbox.c.occurred_at >= earliest)
        .cte("claimed_before")
        .prefix_with("MATERIALIZED")
    )
    already = exists().where(
        before.c.event_id == claimed.c.event_id,
        before.c.occurred_at >= claimed.c.occurred_at - SKEW_MARGIN,
    )
    rows = select(literal(consumer, Text), claimed.c.event_id, claimed.c.occurred_at).where(~already)
    return (
        insert(inbox)
        .from_select(["consumer", "event_id", "occurred_at"], rows)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )


def _earliest(ordered: Sequence[ReceivedEvent]) -> datetime:
    """How early an earlier claim of one of these events may be recorded (the day before the earliest)."""
    return min((event_time(e) for e in ordered), default=UNKNOWN_TIME) - SKEW_MARGIN


_BINARY_CLAIMS: dict[tuple[int, str], BinaryStatement] = {}


def _binary_claim(inbox: Table, consumer: str) -> BinaryStatement:
    key = (id(inbox), consumer)
    if key not in _BINARY_CLAIMS:
        _BINARY_CLAIMS[key] = BinaryStatement(claim(inbox, consumer, []))
    return _BINARY_CLAIMS[key]


def _arrays(events: Sequence[ReceivedEvent]) -> dict[str, Any]:
    ordered = _first_deliveries(events)
    times = [event_time(e) for e in ordered]
    return {
        "event_ids": [e.id for e in ordered],
        "event_times": times,
        "earliest": min(times, default=UNKNOWN_TIME) - SKEW_MARGIN,
    }


async def claim_fresh(
    session: AsyncSession, inbox: Table, consumer: str, events: Sequence[ReceivedEvent]
) -> set[str]:
    """The same claim, run in the session's transaction with binary parameters (binary_statements.py:
    a batch's ids and times rendered as text cost more than its projections); the ids it may apply."""
    rows = await _binary_claim(inbox, consumer).execute(session, _arrays(events))
    return {str(row[0]) for row in rows}


async def send_claim(
    session: AsyncSession, inbox: Table, consumer: str, events: Sequence[ReceivedEvent]
) -> AsyncCursor[Any]:
    """The claim sent on a cursor whose rows (the claimed ids) the caller reads later: inside a
    psycopg pipeline, after the statements sent with it."""
    return await _binary_claim(inbox, consumer).send(session, _arrays(events))
