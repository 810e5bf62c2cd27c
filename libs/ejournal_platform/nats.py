"""NATS connection and idempotent JetStream stream provisioning."""

from __future__ import annotations

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from ejournal_platform.events import stream_name, stream_subjects
from ejournal_platform.logging import get_logger

log = get_logger(__name__)

# Longer than any outage the relay rides out, so a republished batch is recognised as duplicate.
DUPLICATE_WINDOW_SECONDS = 15 * 60


async def connect(url: str, name: str) -> Client:
    """Connect and keep reconnecting forever: services outlive a NATS restart."""

    async def on_disconnect() -> None:
        log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    async def on_error(error: Exception) -> None:
        log.warning("nats error", error=repr(error))

    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        connect_timeout=2,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
    )


async def ensure_stream(
    js: JetStreamContext, service: str, *, max_age_days: float = 0, replicas: int = 1
) -> None:
    """Create the service's stream, or bring an existing one's settings up to date.

    Retention and replicas come from the service's settings (stream_max_age_days, stream_replicas)."""
    config = StreamConfig(
        name=stream_name(service),
        subjects=stream_subjects(service),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=max_age_days * 86400 if max_age_days else None,
        num_replicas=replicas,
    )
    try:
        await js.stream_info(stream_name(service))
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)
