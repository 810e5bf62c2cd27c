"""NATS connection (plain, or TLS trusting a private CA) and idempotent JetStream stream provisioning."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class NatsTls:
    """TLS to NATS (ServiceSettings.nats_ca_file, nats_cert_file, nats_key_file): the CA that signed the
    server's certificate, and optionally a client certificate for a server that verifies clients."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def context(self) -> ssl.SSLContext | None:
        """None without a CA: plain NATS. With one, TLS only, trusting that CA alone (not the system's:
        the cluster's NATS certificate comes from the cluster's own issuer)."""
        if self.ca_file is None:
            return None
        context = ssl.create_default_context(cafile=str(self.ca_file))
        if self.cert_file is not None:
            context.load_cert_chain(str(self.cert_file), str(self.key_file) if self.key_file else None)
        return context


def connection_options(url: str, name: str, tls: NatsTls | None = None) -> dict[str, Any]:
    async def on_disconnect() -> None:
        log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    async def on_error(error: Exception) -> None:
        log.warning("nats error", error=repr(error))

    context = tls.context() if tls is not None else None
    return {
        "servers": url,
        # TLS before anything else (the server's `tls { handshake_first: true }`): nats-py would
        # otherwise speak plain to a server that does not ask for TLS, and send it the password.
        **({"tls": context, "tls_handshake_first": True} if context is not None else {}),
        "name": name,
        # Forever, also for the first connection: a service outlives a NATS restart and may start
        # before NATS does.
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": 0.25,
        "connect_timeout": 2,
        "disconnected_cb": on_disconnect,
        "reconnected_cb": on_reconnect,
        "error_cb": on_error,
    }


async def connect(url: str, name: str, tls: NatsTls | None = None) -> Client:
    """Connect (waiting for NATS as long as it takes) and keep reconnecting forever."""
    return await nats.connect(**connection_options(url, name, tls))


def connect_in_background(
    url: str, name: str, tls: NatsTls | None = None
) -> tuple[Client, asyncio.Task[None]]:
    """A client at once and its first connection as a task: a service starts, serves and takes writes
    into its outbox while NATS is down, and the client connects whenever NATS comes."""
    client = Client()
    return client, asyncio.create_task(client.connect(**connection_options(url, name, tls)))


@dataclass(frozen=True)
class StreamLimits:
    """What an operator decides for a stream (ServiceSettings.stream_*): copies across the JetStream
    cluster, and how much it keeps (-1 bytes and 0 seconds: everything, for ever)."""

    replicas: int = 1
    max_bytes: int = -1
    max_age_seconds: float = 0.0


async def ensure_stream(
    js: JetStreamContext, service: str, limits: StreamLimits = StreamLimits()
) -> list[str]:
    """Create the service's stream with `limits`; for an existing stream, add only what the code needs
    (its subjects, a long enough duplicate window) and leave the operator's settings as they are.

    A difference between the stream and `limits` is logged and returned, never applied: changing
    replicas or limits of a live stream is an operator's decision (`nats stream edit`), and a stream
    tuned by hand must not be reset by the next rollout.
    """
    name = stream_name(service)
    wanted = StreamConfig(
        name=name,
        subjects=stream_subjects(service),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=limits.replicas,
        max_bytes=limits.max_bytes,
        max_age=limits.max_age_seconds,
    )
    try:
        existing = (await js.stream_info(name)).config
    except NotFoundError:
        await js.add_stream(wanted)
        return []
    differences = [
        f"{field}: the stream has {getattr(existing, field)!r}, the settings say {getattr(wanted, field)!r}"
        for field in ("num_replicas", "max_bytes", "max_age", "storage")
        if (getattr(existing, field) or 0) != (getattr(wanted, field) or 0)
    ]
    if differences:
        log.warning(
            "stream settings differ; left as the operator set them", stream=name, differences=differences
        )
    subjects = list(existing.subjects or [])
    missing = [subject for subject in wanted.subjects or [] if subject not in subjects]
    window = existing.duplicate_window or 0
    if missing or window < DUPLICATE_WINDOW_SECONDS:
        await js.update_stream(
            replace(
                existing, subjects=subjects + missing, duplicate_window=max(window, DUPLICATE_WINDOW_SECONDS)
            )
        )
    return differences
