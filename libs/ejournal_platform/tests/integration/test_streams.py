"""A service creates its stream with the operator's replicas and limits from its settings, and never
changes an existing stream's: an operator who tuned a stream by hand finds it as they left it after
the next rollout, with the difference logged."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from nats.js.api import StorageType, StreamConfig
from structlog.testing import capture_logs

from deploy.local.servers import NatsServer
from ejournal_platform.events import stream_name
from ejournal_platform.nats import DUPLICATE_WINDOW_SECONDS, StreamLimits, connect, ensure_stream

pytestmark = pytest.mark.integration


async def test_a_new_stream_takes_the_settings_and_an_existing_one_keeps_the_operators(
    nats_server: NatsServer,
) -> None:
    client = await connect(nats_server.url, "streams-test")
    js = client.jetstream()
    created, tuned = f"s{uuid.uuid4().hex[:8]}", f"s{uuid.uuid4().hex[:8]}"
    try:
        limits = StreamLimits(replicas=1, max_bytes=32 * 1024 * 1024, max_age_seconds=3600.0)
        assert await ensure_stream(js, created, limits) == []
        config = (await js.stream_info(stream_name(created))).config
        assert (config.max_bytes, config.max_age, config.num_replicas) == (32 * 1024 * 1024, 3600.0, 1)
        assert config.duplicate_window == DUPLICATE_WINDOW_SECONDS

        # An operator made the stream by hand: other limits, a short duplicate window, one subject less.
        await js.add_stream(
            StreamConfig(
                name=stream_name(tuned),
                subjects=[f"operator.{tuned}.>"],
                storage=StorageType.FILE,
                max_bytes=8 * 1024 * 1024,
                duplicate_window=60,
            )
        )
        with capture_logs() as logs:
            differences = await ensure_stream(js, tuned, limits)
        assert [d.split(":")[0] for d in differences] == ["max_bytes", "max_age"]
        warnings = [e for e in logs if e["log_level"] == "warning"]
        assert warnings and warnings[0]["stream"] == stream_name(tuned)
        config = (await js.stream_info(stream_name(tuned))).config
        assert (config.max_bytes, config.max_age) == (8 * 1024 * 1024, 0.0)  # left as the operator set
        # What the code needs is added: its subjects, a duplicate window long enough for the relay.
        assert config.subjects == [f"operator.{tuned}.>", f"ejournal.{tuned}.>"]
        assert config.duplicate_window == DUPLICATE_WINDOW_SECONDS
        assert await ensure_stream(js, tuned, StreamLimits(max_bytes=8 * 1024 * 1024)) == []
    finally:
        for name in (created, tuned):
            with contextlib.suppress(Exception):
                await js.delete_stream(stream_name(name))
        await client.close()
