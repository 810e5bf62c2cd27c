"""The registered subscribers: found by id or idempotency key, listed per university, added, paused;
and their delivery status (adapters/queries.py's STATUS). Rows are the table's rows, read in the
caller's unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.subscribers.adapters import tables as t
from services.subscribers.adapters.queries import STATUS

S = t.subscribers.c


@dataclass(frozen=True, kw_only=True)
class Subscriber:
    """A registered subscriber: a webhook, or an outside system reading the export NATS."""

    subscriber_id: uuid.UUID
    university_id: str
    name: str
    kind: str  # webhook | nats
    url: str
    event_types: list[str]
    content_type: str
    secret: str  # the webhook's signing secret, or the NATS user's NKey seed
    active: bool
    created_by: str
    created_at: datetime
    idempotency_key: str | None
    nats_user: str | None
    nats_consumer: str | None


@dataclass(frozen=True, kw_only=True)
class WebhookGrant:
    subscriber_id: uuid.UUID
    event_types: list[str]


@dataclass(frozen=True, kw_only=True)
class DeliveryCounts:
    """A subscriber's deliveries by status, its oldest waiting event and its latest outcome."""

    subscriber_id: uuid.UUID
    delivered: int
    pending: int
    dead: int
    oldest_waiting: datetime | None
    last_delivered_at: datetime | None
    last_error: str | None


def _subscriber(row: Any) -> Subscriber | None:
    return None if row is None else record(Subscriber, row)


async def by_idempotency_key(session: AsyncSession, key: str) -> Subscriber | None:
    return _subscriber((await session.execute(select(t.subscribers).where(S.idempotency_key == key))).first())


async def by_id(session: AsyncSession, subscriber_id: uuid.UUID) -> Subscriber | None:
    query = select(t.subscribers).where(S.subscriber_id == subscriber_id)
    return _subscriber((await session.execute(query)).first())


async def of_university(session: AsyncSession, university_id: str) -> list[Subscriber]:
    query = select(t.subscribers).where(S.university_id == university_id).order_by(S.created_at)
    return [record(Subscriber, r) for r in await session.execute(query)]


async def add(session: AsyncSession, **values: Any) -> Subscriber:
    """Insert a subscriber; the stored row (with the database's defaults)."""
    await session.execute(insert(t.subscribers).values(**values))
    query = select(t.subscribers).where(S.subscriber_id == values["subscriber_id"])
    return record(Subscriber, (await session.execute(query)).one())


async def set_active(session: AsyncSession, subscriber_id: uuid.UUID, active: bool) -> Subscriber:
    """Pause or resume a subscriber; the stored row."""
    await session.execute(update(t.subscribers).where(S.subscriber_id == subscriber_id).values(active=active))
    query = select(t.subscribers).where(S.subscriber_id == subscriber_id)
    return record(Subscriber, (await session.execute(query)).one())


async def webhook_grants(session: AsyncSession, university_id: str) -> list[WebhookGrant]:
    """The event types granted to each of the university's webhook subscribers (paused ones too)."""
    query = select(S.subscriber_id, S.event_types).where(
        S.university_id == university_id, S.kind == "webhook"
    )
    return [record(WebhookGrant, r) for r in await session.execute(query)]


async def status_rows(session: AsyncSession, ids: Sequence[str]) -> list[DeliveryCounts]:
    """Per subscriber (all when `ids` is empty): its delivery counts."""
    return [record(DeliveryCounts, r) for r in await session.execute(STATUS, {"ids": list(ids)})]
