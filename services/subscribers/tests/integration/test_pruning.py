"""Delivered webhook rows are pruned after the retention (EJOURNAL_SUBSCRIBERS_DELIVERED_KEEP_DAYS);
waiting and dead-lettered rows are kept whatever their age (issue 20)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from deploy.local.servers import NatsServer, free_port
from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal_platform.testing.fixtures import Databases
from services.subscribers.adapters import tables as t
from services.subscribers.tests.harness import running_subscribers
from services.subscribers.tests.semester import University

pytestmark = pytest.mark.integration
MARK = "ejournal.gradebook.v1.MarkRecorded"


@pytest.fixture
def nats(nats_factory: Callable[[], NatsServer]) -> NatsServer:
    return nats_factory()


async def test_delivered_rows_older_than_the_retention_are_pruned_and_waiting_or_dead_ones_kept(
    databases: Databases, nats: NatsServer
) -> None:
    ours = University()
    async with running_subscribers(databases, nats, delivered_keep=timedelta(days=7)) as s:
        reply = await s.register(
            ours.university_id, f"http://127.0.0.1:{free_port()}/sis", "ejournal.gradebook.v1.MarkRecorded"
        )
        subscriber = uuid.UUID(reply.subscriber.subscriber_id)
        # Pause it: the dispatcher must not touch the rows this test writes.
        await s.stub.SetSubscriberActive(
            pb.SetSubscriberActiveRequest(subscriber_id=str(subscriber), active=False),
            metadata=s.admin(ours.university_id),
        )
        now = datetime.now(UTC)
        rows = {
            "old delivered": ("delivered", now - timedelta(days=8), None),
            "recent delivered": ("delivered", now - timedelta(days=6), None),
            "old pending": ("pending", None, None),
            "old dead": ("dead", None, now - timedelta(days=30)),
        }
        async with s.sessions() as session, session.begin():
            for name, (status, delivered_at, dead_at) in rows.items():
                await session.execute(
                    insert(t.deliveries).values(
                        subscriber_id=subscriber, event_id=uuid.uuid4(), event_type=MARK,
                        source="ejournal/gradebook", subject=name, event_time=now - timedelta(days=40),
                        payload=b"", status=status, delivered_at=delivered_at, dead_at=dead_at,
                    )
                )  # fmt: skip
        assert await s.dispatcher.prune() == 1
        assert await s.dispatcher.prune() == 0
        left = {
            r.subject
            for r in await s.rows("SELECT subject FROM deliveries WHERE subscriber_id = :s", s=subscriber)
        }
    assert left == {"recent delivered", "old pending", "old dead"}
