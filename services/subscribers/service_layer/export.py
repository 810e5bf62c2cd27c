"""NATS for outside systems (issue 20): each routed event republished on the *export* NATS, one stream
per university, and per-subscriber credentials that can read only their own consumer on it.

The internal streams (EJOURNAL_<SERVICE>) stay on ejournal's own NATS, which outside systems never
reach. The export NATS is a separate nats-server in operator mode that trusts one export account;
this service holds a signing key of that account and signs

- its own user: publish `export.>` and the JetStream API (it creates the streams and the consumers),
  subscribe its inboxes;
- one user per outside system: publish only the JetStream API calls of *its* durable consumer (fetch
  the next messages, acknowledge them, read the consumer's info), subscribe only its own inbox prefix
  and `export.<its university>.<granted types>`. It cannot publish an event, create or change a
  consumer or stream, or read another university's stream or another subscriber's consumer.

Each university has a stream `EXPORT_<university>` on `export.<university>.>`; its limits (bytes, age,
consumers, replicas) come from settings and bound what one university may take. The consumer made for
a subscriber filters the granted types and starts where the administrator said (everything the stream
keeps, or a point in time); restarting it from an earlier time replays.

Order and once-only: intake writes an `exports` row in the consumer's transaction; one exporter (a
PostgreSQL advisory lock) publishes the rows in order with `Nats-Msg-Id` = the event id, so a row
published twice (a crash before it was deleted) is dropped by the stream's duplicate window.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nats
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncEngine

from ejournal_platform.contract import JSON_CONTENT_TYPE, to_json
from ejournal_platform.events import PROTOBUF_CONTENT_TYPE, headers_for
from ejournal_platform.logging import get_logger
from services.subscribers.adapters import routing_repo
from services.subscribers.domain import natsauth
from services.subscribers.service_layer.deps import Deps

log = get_logger(__name__)

EXPORT_LOCK = 0x5E_B5C2_E4B0  # the advisory lock id every exporter competes for
DUPLICATE_WINDOW_SECONDS = 600.0


def stream_for(university_id: str) -> str:
    return f"EXPORT_{university_id}"


def subject_for(university_id: str, event_type: str) -> str:
    return f"export.{university_id}.{event_type}"


def consumer_for(subscriber_id: str) -> str:
    return f"sub-{subscriber_id}"


def inbox_for(subscriber_id: str) -> str:
    """The inbox prefix a subscriber's client must use (nats-py `inbox_prefix=`): the only one it may
    subscribe to, so no one reads another's fetched messages."""
    return f"_INBOX_{subscriber_id.replace('-', '')}"


@dataclass(frozen=True)
class ExportConfig:
    url: str
    account: str
    signing_seed: str
    public_url: str = ""
    replicas: int = 1
    max_bytes: int = -1
    max_age_seconds: float = 0.0
    max_consumers: int = 50
    credentials_seconds: float = 365 * 86400.0
    max_subscriptions: int = 100
    max_payload: int = 1024 * 1024
    content_type: str = JSON_CONTENT_TYPE

    @property
    def address(self) -> str:
        """What integrators connect to."""
        return self.public_url or self.url

    @classmethod
    def from_settings(cls, s: Any) -> ExportConfig | None:
        if not s.export_nats_url:
            return None
        if not s.export_account or not s.export_signing_seed:
            raise ValueError("EXPORT_NATS_URL needs EXPORT_ACCOUNT and EXPORT_SIGNING_SEED")
        return cls(
            url=s.export_nats_url, account=s.export_account, signing_seed=s.export_signing_seed,
            public_url=s.export_public_url, replicas=s.export_replicas,
            max_bytes=s.export_max_bytes, max_age_seconds=s.export_max_age_days * 86400,
            max_consumers=s.export_max_consumers, credentials_seconds=s.export_credentials_days * 86400,
            max_subscriptions=s.export_max_subscriptions, max_payload=s.export_max_payload,
            content_type=s.export_content_type,
        )  # fmt: skip


def subscriber_permissions(
    config: ExportConfig, university_id: str, subscriber_id: str, grants: Sequence[str]
) -> natsauth.UserPermissions:
    stream, consumer = stream_for(university_id), consumer_for(subscriber_id)
    return natsauth.UserPermissions(
        publish=[
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}",
            f"$JS.API.CONSUMER.INFO.{stream}.{consumer}",
            f"$JS.ACK.{stream}.{consumer}.>",
        ],
        subscribe=[f"{inbox_for(subscriber_id)}.>", *(subject_for(university_id, g) for g in grants)],
        max_subscriptions=config.max_subscriptions,
        max_payload=config.max_payload,
    )


@dataclass(frozen=True)
class Credentials:
    creds: str  # the .creds file (user JWT + seed)
    user: str  # the user's public NKey


def subscriber_credentials(
    config: ExportConfig, user_seed: str, university_id: str, subscriber_id: str, grants: Sequence[str],
    name: str, now: float,
) -> Credentials:  # fmt: skip
    user = natsauth.public_key(user_seed)
    jwt = natsauth.user_jwt(
        config.signing_seed, config.account, user, name,
        subscriber_permissions(config, university_id, subscriber_id, grants),
        expires_at=now + config.credentials_seconds, now=now,
    )  # fmt: skip
    return Credentials(natsauth.creds(jwt, user_seed), user)


async def connect_service(config: ExportConfig, name: str = "subscribers-export") -> Client:
    """This service's own connection: a user it signs afresh at every (re)connect, valid for a day."""
    seed = natsauth.new_seed(natsauth.USER)
    pair = natsauth.keypair(seed)
    permissions = natsauth.UserPermissions(publish=["export.>", "$JS.API.>"], subscribe=["_INBOX.>"])

    def user_jwt() -> bytes:
        now = time.time()
        return natsauth.user_jwt(
            config.signing_seed, config.account, natsauth.public_key(seed), name, permissions,
            expires_at=now + 86400, now=now,
        ).encode()  # fmt: skip

    def sign(nonce: str) -> bytes:
        return base64.b64encode(pair.sign(nonce.encode()))

    return await nats.connect(
        config.url, name=name, user_jwt_cb=user_jwt, signature_cb=sign,
        max_reconnect_attempts=-1, reconnect_time_wait=1,
    )  # fmt: skip


async def ensure_university_stream(js: JetStreamContext, config: ExportConfig, university_id: str) -> str:
    name = stream_for(university_id)
    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=name, subjects=[f"export.{university_id}.>"], storage=StorageType.FILE,
                num_replicas=config.replicas, max_bytes=config.max_bytes, max_age=config.max_age_seconds,
                max_consumers=config.max_consumers, duplicate_window=DUPLICATE_WINDOW_SECONDS,
            )
        )  # fmt: skip
    return name


async def make_consumer(
    js: JetStreamContext, config: ExportConfig, university_id: str, subscriber_id: str,
    grants: Sequence[str], start_time: datetime | None,
) -> str:  # fmt: skip
    """(Re)create the subscriber's durable consumer: its granted types, from `start_time` or from the
    oldest event the stream keeps. Recreating it from an earlier time is a replay."""
    stream = await ensure_university_stream(js, config, university_id)
    name = consumer_for(subscriber_id)
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(stream, name)
    subjects = [subject_for(university_id, g) for g in grants]
    await js.add_consumer(
        stream,
        ConsumerConfig(
            durable_name=name, ack_policy=AckPolicy.EXPLICIT, ack_wait=60, max_ack_pending=1000,
            deliver_policy=DeliverPolicy.BY_START_TIME if start_time else DeliverPolicy.ALL,
            opt_start_time=start_time,
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
        ),
    )  # fmt: skip
    return name


class Exporter:
    """Publishes the `exports` rows on the export NATS, in order, one exporter at a time."""

    def __init__(
        self,
        engine: AsyncEngine,
        deps: Deps,
        config: ExportConfig,
        *,
        batch: int = 500,
        poll_seconds: float = 0.5,
    ) -> None:
        self._engine, self._deps, self._config = engine, deps, config
        self._batch, self._poll = batch, poll_seconds
        self._wakeup = asyncio.Event()
        self._streams: set[str] = set()
        self._nc: Client | None = None

    @property
    def config(self) -> ExportConfig:
        return self._config

    def wake(self) -> None:
        self._wakeup.set()

    async def jetstream(self) -> JetStreamContext:
        if self._nc is None or self._nc.is_closed:
            self._nc = await connect_service(self._config)
        return self._nc.jetstream()

    async def close(self) -> None:
        if self._nc is not None and not self._nc.is_closed:
            await self._nc.close()

    def _body(self, row: Any) -> tuple[bytes, str]:
        if self._config.content_type == JSON_CONTENT_TYPE:
            return to_json(row.event_type, row.payload), JSON_CONTENT_TYPE
        return row.payload, PROTOBUF_CONTENT_TYPE

    async def export_due(self) -> int:
        """Publish the next batch in order; the number published."""
        async with self._deps.unit_of_work() as uow:
            session = uow.session
            rows = await routing_repo.exports_due(session, self._batch)
        if not rows:
            return 0
        js = await self.jetstream()
        done = []
        try:
            for row in rows:
                if row.university_id not in self._streams:
                    await ensure_university_stream(js, self._config, row.university_id)
                    self._streams.add(row.university_id)
                body, content_type = self._body(row)
                headers = headers_for(str(row.event_id), row.event_type, row.source, row.subject,
                                      row.event_time.isoformat())  # fmt: skip
                headers["ce-datacontenttype"] = content_type
                await js.publish(subject_for(row.university_id, row.event_type), body, headers=headers)
                done.append(row.seq)
        finally:
            if done:
                async with self._deps.unit_of_work() as uow:
                    session = uow.session
                    await routing_repo.exported(session, done)
                    await uow.commit()
        return len(done)

    async def run(self) -> None:
        """Export until cancelled, while holding the exporter lock; ride out outages."""
        while True:
            try:
                async with self._engine.connect() as leader:
                    got = await routing_repo.try_export_lock(leader, EXPORT_LOCK)
                    await leader.commit()
                    if not got:
                        await asyncio.sleep(5)
                        continue
                    while True:
                        if await self.export_due():
                            continue
                        self._wakeup.clear()
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll)
            except asyncio.CancelledError:
                raise
            except (NatsError, OSError, Exception) as error:
                log.warning("exporter failed; retrying", error=repr(error))
                self._streams.clear()
                await asyncio.sleep(1)
