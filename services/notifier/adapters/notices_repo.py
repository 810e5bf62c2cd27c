"""Notices, deliveries and delivery attempts in the notifier's database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from ejournal_platform.records import record as record_of
from services.notifier.adapters.tables import deliveries, delivery_attempts, notices


@dataclass(frozen=True, kw_only=True)
class DueDelivery:
    """A pending delivery due now, with what its notice says."""

    id: uuid.UUID
    notice_id: uuid.UUID
    recipient_id: str
    channel: str  # email | telegram
    address: str
    mode: str  # immediate | daily_digest
    attempts: int
    subject: str
    body: str
    language: str


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A notice as its recipient reads it."""

    id: uuid.UUID
    category: str
    subject: str
    body: str
    link: str
    deadline: datetime | None
    created_at: datetime
    read_at: datetime | None


async def add_notice(session: AsyncSession, **values: Any) -> bool:
    """Insert a notice; False when it exists already (a replayed event)."""
    statement = insert(notices).values(**values).on_conflict_do_nothing().returning(notices.c.id)
    return (await session.execute(statement)).first() is not None


async def add_delivery(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(deliveries).values(id=uuid.uuid4(), status="pending", **values))


async def due(session: AsyncSession, now: datetime, limit: int) -> list[DueDelivery]:
    """Pending deliveries due by now, with their notices, locked for this dispatcher only."""
    rows = await session.execute(
        select(deliveries, notices.c.subject, notices.c.body, notices.c.language)
        .join(notices, notices.c.id == deliveries.c.notice_id)
        .where(deliveries.c.status == "pending", deliveries.c.due_at <= now)
        .order_by(deliveries.c.due_at, notices.c.created_at)
        .limit(limit)
        .with_for_update(of=deliveries, skip_locked=True)
    )
    return [record_of(DueDelivery, r) for r in rows]


async def record(session: AsyncSession, ids: Sequence[uuid.UUID], outcome: str, error: str = "") -> None:
    await session.execute(
        insert(delivery_attempts), [{"delivery_id": i, "outcome": outcome, "error": error} for i in ids]
    )


async def mark_sent(session: AsyncSession, ids: Sequence[uuid.UUID], now: datetime) -> None:
    await session.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids))
        .values(status="sent", sent_at=now, attempts=deliveries.c.attempts + 1)
    )


async def mark_failed(
    session: AsyncSession, ids: Sequence[uuid.UUID], error: str, retry_at: datetime | None
) -> None:
    values: dict[str, Any] = {"attempts": deliveries.c.attempts + 1, "last_error": error[:2000]}
    values.update({"due_at": retry_at} if retry_at else {"status": "dead"})
    await session.execute(update(deliveries).where(deliveries.c.id.in_(ids)).values(**values))


async def of_recipient(session: AsyncSession, person_id: str, unread_only: bool, page: Page) -> list[Notice]:
    """One page (`page.fetch` rows) of a person's notices, newest first."""
    query = select(notices).where(notices.c.recipient_id == person_id)
    if unread_only:
        query = query.where(notices.c.read_at.is_(None))
    key = [notices.c.created_at, notices.c.id]
    rows = await session.execute(
        keyset(query, page, key, [datetime.fromisoformat, uuid.UUID], descending=True)
    )
    return [record_of(Notice, r) for r in rows]


async def unread_count(session: AsyncSession, person_id: str) -> int:
    query = select(func.count()).where(notices.c.recipient_id == person_id, notices.c.read_at.is_(None))
    return int((await session.execute(query)).scalar_one())


async def mark_read(session: AsyncSession, person_id: str, ids: Sequence[uuid.UUID], now: datetime) -> int:
    statement = update(notices).where(notices.c.recipient_id == person_id, notices.c.read_at.is_(None))
    if ids:
        statement = statement.where(notices.c.id.in_(ids))
    result = await session.execute(statement.values(read_at=now).returning(notices.c.id))
    return len(result.all())
