"""The outbox and inbox partitioned by week (event_partitions.py), on a real PostgreSQL, as the service's
own role where a service would act: weeks made ahead, inserts at any time, whole weeks pruned but never
one with an unpublished event, the service role unable to touch a partition itself, the migration
converting existing rows, and the inbox still refusing an event id it has seen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine, text

from deploy.local.servers import NatsServer
from ejournal_platform.db import make_engine, new_metadata
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.inbox import claim
from ejournal_platform.migrations import upgrade
from ejournal_platform.nats import connect
from ejournal_platform.outbox import OutboxRelay, OutboxWriter, Pruned, define_inbox, define_outbox
from ejournal_platform.testing.fixtures import ROOT, Databases

pytestmark = pytest.mark.integration

SERVICE = "notifier"  # any service: they all share the platform's event tables


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def week_name(table: str, at: datetime) -> str:
    monday = (at - timedelta(days=at.weekday())).date()
    return f"{table}_w{monday:%Y%m%d}"


def partition_of(admin: psycopg.Connection[tuple[object, ...]], table: str, key: str, value: object) -> str:
    row = admin.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE {key} = %s", (value,)).fetchone()
    assert row is not None, f"no {table} row with {key} = {value}"
    return str(row[0])


def exists(conn: psycopg.Connection[tuple[object, ...]], relation: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"public.{relation}",)).fetchone() == (True,)


def test_this_and_the_next_two_weeks_are_made_ahead_with_a_default_partition(databases: Databases) -> None:
    now = datetime.now(UTC)
    for url in (databases.fresh(SERVICE), databases.empty(tables_metadata())):  # migrated, create_all
        with psycopg.connect(libpq(url), autocommit=True) as conn:
            for table in ("outbox", "inbox"):
                for weeks in range(3):
                    assert exists(conn, week_name(table, now + timedelta(weeks=weeks)))
                assert exists(conn, f"{table}_default")
                assert not exists(conn, week_name(table, now + timedelta(weeks=3)))


def tables_metadata() -> MetaData:
    metadata = new_metadata()
    define_outbox(metadata)
    define_inbox(metadata)
    return metadata


def test_an_event_far_in_the_past_or_future_is_stored_and_moves_into_its_week_when_that_is_made(
    databases: Databases,
) -> None:
    url = databases.fresh(SERVICE)
    far = {"past": datetime(1990, 5, 17, tzinfo=UTC), "future": datetime(2300, 1, 1, tzinfo=UTC)}
    ids = {when: uuid.uuid4() for when in far}
    with (
        psycopg.connect(libpq(url), autocommit=True) as service,
        psycopg.connect(libpq(databases.admin_url(url)), autocommit=True) as admin,
    ):
        for when, at in far.items():
            service.execute(
                "INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload) "
                "VALUES (%s, 't', 's', %s, '\\x00')",
                (ids[when], at),
            )
            service.execute(
                "INSERT INTO inbox (consumer, event_id, occurred_at) VALUES ('c', %s, %s)", (ids[when], at)
            )
            assert partition_of(admin, "outbox", "event_id", ids[when]) == "outbox_default"
            assert partition_of(admin, "inbox", "event_id", ids[when]) == "inbox_default"
        # The future week's partition, once made (by the service role, through the function), takes its rows.
        assert service.execute("SELECT ejournal_event_partitions(0, %s)", (far["future"],)).fetchone() == (2,)
        assert partition_of(admin, "outbox", "event_id", ids["future"]) == week_name("outbox", far["future"])
        assert partition_of(admin, "inbox", "event_id", ids["future"]) == week_name("inbox", far["future"])
        assert partition_of(admin, "outbox", "event_id", ids["past"]) == "outbox_default"


async def test_pruning_drops_old_weeks_but_never_one_with_an_unpublished_event(
    databases: Databases, nats_server: NatsServer
) -> None:
    url = databases.fresh(SERVICE)
    now = datetime.now(UTC)
    three_weeks_ago, two_weeks_ago = now - timedelta(days=21), now - timedelta(days=14)
    long_ago = now - timedelta(days=30)
    with psycopg.connect(libpq(url), autocommit=True) as service:
        # The weeks of three and two weeks ago, as a relay that ran then would have made them.
        service.execute("SELECT ejournal_event_partitions(1, %s)", (three_weeks_ago,))

        def outbox_row(occurred_at: datetime, published_at: datetime | None) -> uuid.UUID:
            event_id = uuid.uuid4()
            service.execute(
                "INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload, published_at) "
                "VALUES (%s, 't', 's', %s, '\\x00', %s)",
                (event_id, occurred_at, published_at),
            )
            return event_id

        def inbox_row(occurred_at: datetime, processed_at: datetime) -> uuid.UUID:
            event_id = uuid.uuid4()
            service.execute(
                "INSERT INTO inbox (consumer, event_id, occurred_at, processed_at) VALUES ('c', %s, %s, %s)",
                (event_id, occurred_at, processed_at),
            )
            return event_id

        outbox_row(three_weeks_ago, three_weeks_ago)  # its whole week is published and old: dropped
        waiting = outbox_row(two_weeks_ago, None)  # never published: its week stays
        published_in_waiting_week = outbox_row(two_weeks_ago, two_weeks_ago)  # deleted on its own
        old_in_default = outbox_row(datetime(1990, 1, 1, tzinfo=UTC), long_ago)  # deleted
        waiting_in_default = outbox_row(datetime(1990, 1, 1, tzinfo=UTC), None)  # kept
        recent = outbox_row(now, now)  # kept
        inbox_row(three_weeks_ago, three_weeks_ago)  # dropped with its week
        late = inbox_row(two_weeks_ago, now)  # an old event consumed just now: its week stays
        inbox_row(two_weeks_ago, two_weeks_ago)  # deleted on its own
        inbox_row(datetime(1990, 1, 1, tzinfo=UTC), long_ago)  # deleted from the DEFAULT partition

    engine = make_engine(url)
    nc = await connect(nats_server.url, "partition-test")
    try:
        metadata = new_metadata()
        relay = OutboxRelay(engine, OutboxWriter(define_outbox(metadata)), nc.jetstream(), "ejournal/test")
        assert await relay.purge_published() == Pruned(partitions_dropped=2, rows_deleted=4)
        assert await relay.purge_published() == Pruned(partitions_dropped=0, rows_deleted=0)
    finally:
        await nc.close()
        await engine.dispose()

    with psycopg.connect(libpq(databases.admin_url(url)), autocommit=True) as admin:
        assert not exists(admin, week_name("outbox", three_weeks_ago))
        assert not exists(admin, week_name("inbox", three_weeks_ago))
        assert exists(admin, week_name("outbox", two_weeks_ago))
        assert exists(admin, week_name("inbox", two_weeks_ago))
        remaining = {row[0] for row in admin.execute("SELECT event_id FROM outbox")}
        assert remaining == {waiting, waiting_in_default, recent}
        assert published_in_waiting_week not in remaining and old_in_default not in remaining
        assert [row[0] for row in admin.execute("SELECT event_id FROM inbox")] == [late]


def test_the_service_role_cannot_make_drop_or_touch_a_partition_itself(databases: Databases) -> None:
    url = databases.fresh(SERVICE)
    this_week = week_name("outbox", datetime.now(UTC))
    with psycopg.connect(libpq(url), autocommit=True) as service:
        refused = [
            f"DROP TABLE {this_week}",
            "DROP TABLE inbox_default",
            f"ALTER TABLE outbox DETACH PARTITION {this_week}",
            "CREATE TABLE outbox_w29990101 PARTITION OF outbox "
            "FOR VALUES FROM ('2999-01-01') TO ('2999-01-08')",
            f"SELECT count(*) FROM {this_week}",
            "DELETE FROM outbox_default",
            "SELECT count(*) FROM inbox_default",
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                service.execute(statement)
        assert exists(service, this_week)
        # What it may do: ask for partitions and prune, through the owner's functions.
        assert service.execute("SELECT ejournal_event_partitions()").fetchone() == (0,)
        assert service.execute("SELECT * FROM ejournal_prune_event_partitions('7 days')").fetchone() == (0, 0)


def test_the_migration_converts_existing_rows_and_keeps_the_relay_order(databases: Databases) -> None:
    owner_url = databases.migrated_to(SERVICE, "0007_tenancy_university_id")  # the revision before
    migrations = ROOT / "services" / SERVICE / "migrations"
    old_event = datetime.now(UTC) - timedelta(days=40)
    engine = create_engine(owner_url)
    with engine.begin() as conn:
        for i, published in enumerate([True, False, True]):
            conn.execute(
                text(
                    "INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload, published_at) "
                    "VALUES (gen_random_uuid(), 't', :s, :at, '\\x00', :published)"
                ),
                {"s": f"row-{i}", "at": old_event, "published": old_event if published else None},
            )
        conn.execute(text("INSERT INTO inbox (consumer, event_id) VALUES ('c', gen_random_uuid())"))
    upgrade(migrations, owner_url)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT seq, subject, published_at IS NULL FROM outbox ORDER BY seq")).all()
        assert [tuple(r) for r in rows] == [(1, "row-0", False), (2, "row-1", True), (3, "row-2", False)]
        # A new event comes after the copied ones in the relay's order, and the copied week got its own
        # partition rather than the DEFAULT one.
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, event_type, subject, occurred_at, payload) "
                "VALUES (gen_random_uuid(), 't', 'new', now(), '\\x00')"
            )
        )
        assert conn.execute(text("SELECT max(seq) FROM outbox")).scalar() == 4
        parts = conn.execute(text("SELECT DISTINCT tableoid::regclass::text FROM outbox WHERE seq < 4")).all()
        assert [p[0] for p in parts] == [week_name("outbox", old_event)]
        assert conn.execute(text("SELECT count(*) FROM inbox")).scalar() == 1
        assert conn.execute(text("SELECT to_regclass('outbox_v0') IS NULL")).scalar()
    engine.dispose()


async def test_an_event_id_seen_with_another_time_is_not_applied_again(databases: Databases) -> None:
    metadata = new_metadata()
    inbox = define_inbox(metadata)
    engine = make_engine(databases.empty(metadata))

    def delivery(event_id: uuid.UUID, time: str) -> ReceivedEvent:
        return ReceivedEvent(str(event_id), "t", "s", "subject", time, b"", {})

    seen, fresh = uuid.uuid4(), uuid.uuid4()
    try:
        async with engine.begin() as conn:
            # An id claimed before the partitioning: the migration gave it its processed_at as time.
            await conn.execute(
                text(
                    "INSERT INTO inbox (consumer, event_id, occurred_at) "
                    "VALUES ('c', :id, now() - '1 hour'::interval)"
                ),
                {"id": seen},
            )
        now = datetime.now(UTC).isoformat()
        async with engine.begin() as conn:
            claimed = await conn.execute(
                claim(inbox, "c", [delivery(seen, now), delivery(fresh, now), delivery(fresh, now)])
            )
            assert [row[0] for row in claimed] == [fresh]
        async with engine.begin() as conn:  # a redelivery, and one without a readable time
            again = await conn.execute(claim(inbox, "c", [delivery(fresh, now), delivery(seen, "")]))
            assert again.all() == []
        async with engine.begin() as conn:  # another consumer applies the same event once of its own
            other = await conn.execute(claim(inbox, "d", [delivery(seen, now)]))
            assert [row[0] for row in other] == [seen]
    finally:
        await engine.dispose()


def test_a_week_whose_table_is_busy_is_dropped_at_the_next_pruning_not_waited_for(
    databases: Databases,
) -> None:
    url = databases.fresh(SERVICE)
    old = datetime.now(UTC) - timedelta(days=21)
    with (
        psycopg.connect(libpq(url), autocommit=True) as service,
        psycopg.connect(libpq(databases.admin_url(url))) as reader,
    ):
        service.execute("SELECT ejournal_event_partitions(0, %s)", (old,))
        # A long transaction reading the outbox (as the relay does while JetStream acks its batch).
        reader.execute("SELECT count(*) FROM outbox")
        pruned = service.execute("SELECT * FROM ejournal_prune_event_partitions('7 days')").fetchone()
        assert pruned == (1, 0), "the inbox's old week goes; the outbox's waits for its reader"
        assert exists(service, week_name("outbox", old))
        reader.rollback()
        assert service.execute("SELECT * FROM ejournal_prune_event_partitions('7 days')").fetchone() == (1, 0)
        assert not exists(service, week_name("outbox", old))
