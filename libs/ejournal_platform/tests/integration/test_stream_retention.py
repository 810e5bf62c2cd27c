"""A service's stream takes its retention and replicas from the service's settings (issue 20), on a
real nats-server; the default keeps events for ever (reporting's rebuild replays from the start)."""

from __future__ import annotations

import pytest

from deploy.local.servers import NatsServer
from ejournal_platform.events import stream_name
from ejournal_platform.nats import connect, ensure_stream
from services.gradebook.settings import GradebookSettings

pytestmark = pytest.mark.integration


async def test_retention_and_replicas_come_from_the_settings(
    nats_server: NatsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    nc = await connect(nats_server.url, "retention-test")
    js = nc.jetstream()
    try:
        await ensure_stream(js, "retention_default")
        default = (await js.stream_info(stream_name("retention_default"))).config
        assert not default.max_age and default.num_replicas == 1

        monkeypatch.setenv("EJOURNAL_GRADEBOOK_STREAM_MAX_AGE_DAYS", "400")
        settings = GradebookSettings()
        await ensure_stream(js, "retention_set", max_age_days=settings.stream_max_age_days,
                            replicas=settings.stream_replicas)  # fmt: skip
        kept = (await js.stream_info(stream_name("retention_set"))).config
        assert kept.max_age == pytest.approx(400 * 86400) and kept.num_replicas == 1
    finally:
        await nc.close()
