"""The registered subscribers: found by id or idempotency key, listed per university, added, paused;
and their delivery status (adapters/queries.py's STATUS). Rows are the table's rows, read in the
caller's unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.subscribers.adapters import tables as t
from services.subscribers.adapters.queries import STATUS

S = t.subscribers.c


async def by_idempotency_key(session: AsyncSession, key: str) -> Any:
    return (await session.execute(select(t.subscribers).where(S.idempotency_key == key))).first()


async def by_id(session: AsyncSession, subscriber_id: uuid.UUID) -> Any:
    return (await session.execute(select(t.subscribers).where(S.subscriber_id == subscriber_id))).first()


async def of_university(session: AsyncSession, university_id: str) -> list[Any]:
    query = select(t.subscribers).where(S.university_id == university_id).order_by(S.created_at)
    return list((await session.execute(query)).all())


async def add(session: AsyncSession, **values: Any) -> Any:
    """Insert a subscriber; the stored row (with the database's defaults)."""
    await session.execute(insert(t.subscribers).values(**values))
    return (
        await session.execute(select(t.subscribers).where(S.subscriber_id == values["subscriber_id"]))
    ).one()


async def set_active(session: AsyncSession, subscriber_id: uuid.UUID, active: bool) -> Any:
    """Pause or resume a subscriber; the stored row."""
    await session.execute(update(t.subscribers).where(S.subscriber_id == subscriber_id).values(active=active))
    return (await session.execute(select(t.subscribers).where(S.subscriber_id == subscriber_id))).one()


async def webhook_grants(session: AsyncSession, university_id: str) -> list[Any]:
    """(subscriber_id, event_types) of the university's webhook subscribers (paused ones too)."""
    query = select(S.subscriber_id, S.event_types).where(
        S.university_id == university_id, S.kind == "webhook"
    )
    return list((await session.execute(query)).all())


async def status_rows(session: AsyncSession, ids: Sequence[str]) -> list[Any]:
    """Per subscriber (all when `ids` is empty): delivered, pending, dead, oldest_waiting,
    last_delivered_at, last_error."""
    return list((await session.execute(STATUS, {"ids": list(ids)})).all())
