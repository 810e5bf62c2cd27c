"""The lag endpoint counts dead letters end to end (issue 14): a poisoned event published into the
gradebook's stream is tried by reporting's real consumer until its last delivery, set aside in the
dead-letter stream, and GetEventLag (the gRPC call behind GET /api/v1/reporting/lag) shows it for
that consumer while nothing is left pending."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal_platform.events import headers_for, new_event_id
from ejournal_platform.testing.fixtures import Databases
from services.reporting.tests.support import reporting, serve

pytestmark = pytest.mark.integration
VICE_RECTOR = ("vice_rector", "university", "u-1")


async def test_a_poisoned_event_is_counted_as_a_dead_letter_by_the_lag_endpoint(
    databases: Databases, nats_factory: Callable[[], NatsServer], tmp_path: Path
) -> None:
    async with reporting(databases, nats_factory) as r, serve(r, tmp_path) as s:
        event_type = gb.MarkRecorded.DESCRIPTOR.full_name
        headers = headers_for(
            new_event_id(), event_type, "ejournal/gradebook", "journal/j", datetime.now(UTC).isoformat()
        )
        await r.js.publish(event_type, b"\xff\xff\xff not a MarkRecorded", headers=headers)

        async def lags() -> dict[str, pb.ConsumerLag]:
            reply = await s.stub.GetEventLag(pb.GetEventLagRequest(), metadata=s.as_("vr", VICE_RECTOR))
            return {c.consumer: c for c in reply.consumers}

        async def gradebook_lag() -> pb.ConsumerLag:
            return (await lags())["reporting-gradebook"]

        # Its deliveries are spaced out (ejournal_platform.dead_letters: about 36 s in all).
        deadline = time.monotonic() + 240
        lag = await gradebook_lag()
        while lag.dead_letters == 0:
            assert time.monotonic() < deadline, f"never set aside: {lag}"
            await asyncio.sleep(1)
            lag = await gradebook_lag()
        assert lag.dead_letters == 1
        assert (lag.pending_events, lag.unacknowledged_events) == (0, 0)  # it blocks nothing
        others = [c for name, c in (await lags()).items() if name != lag.consumer]
        assert others and all(c.dead_letters == 0 for c in others)
