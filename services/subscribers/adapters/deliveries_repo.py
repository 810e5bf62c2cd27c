"""Deliveries: added when an event fans out, waiting in order for the dispatcher, their outcomes
recorded, dead ones listed and replayed, old delivered ones pruned."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from ejournal_platform.records import record
from services.subscribers.adapters import tables as t
from services.subscribers.adapters.queries import PRUNE, WAITING
from services.subscribers.adapters.stored_event import StoredEvent

D = t.deliveries.c


@dataclass(frozen=True, kw_only=True)
class WaitingDelivery(StoredEvent):
    """A pending delivery in its subscriber's and subject's order, with where and how to send it."""

    subscriber_id: uuid.UUID
    attempts: int
    next_attempt_at: datetime
    url: str
    secret: str
    content_type: str
    position: int  # in its chain (subscriber, subject), from 1


def _count(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


async def add(session: AsyncSession, subscribers: Sequence[uuid.UUID], event: dict[str, Any]) -> None:
    """One delivery of the event per subscriber; an event already delivered to one is skipped."""
    rows = [{"subscriber_id": s, **event} for s in subscribers]
    await session.execute(insert(t.deliveries).values(rows).on_conflict_do_nothing())


async def waiting(session: AsyncSession, chain: int, limit: int) -> list[WaitingDelivery]:
    """Per subscriber and subject, the first `chain` waiting deliveries in order (at most `limit`)."""
    rows = await session.execute(WAITING, {"chain": chain, "limit": limit})
    return [record(WaitingDelivery, r) for r in rows]


async def mark_delivered(session: AsyncSession, seqs: Sequence[int], now: datetime) -> None:
    await session.execute(
        update(t.deliveries).where(D.seq.in_(seqs))
        .values(status="delivered", delivered_at=now, attempts=D.attempts + 1, last_error="")
    )  # fmt: skip


async def mark_failed(
    session: AsyncSession, seq: int, attempts: int, error: str, retry_at: datetime | None, now: datetime
) -> None:
    """A failed try: due again at `retry_at`, or dead (at `now`) when there is none."""
    values: dict[str, Any] = {"attempts": attempts, "last_error": error}
    values |= {"next_attempt_at": retry_at} if retry_at else {"status": "dead", "dead_at": now}
    await session.execute(update(t.deliveries).where(D.seq == seq).values(**values))


async def dead_page(session: AsyncSession, subscriber_id: uuid.UUID, page: Page) -> tuple[list[Any], str]:
    """One page of a subscriber's dead deliveries, oldest first, and the next page's token."""
    query = select(D.seq, D.event_id, D.event_type, D.subject, D.attempts, D.last_error, D.dead_at).where(
        D.subscriber_id == subscriber_id, D.status == "dead"
    )
    found = list((await session.execute(keyset(query, page, [D.seq], [int]))).all())
    return page.cut(found, key=lambda r: (r.seq,))


async def replay_dead(
    session: AsyncSession, subscriber_id: uuid.UUID, seqs: Sequence[int] | None, now: datetime
) -> int:
    """Dead deliveries (all of the subscriber's, or those of `seqs`) wait again, due now, with their
    attempts counted afresh; how many."""
    chosen = D.subscriber_id == subscriber_id
    if seqs is not None:
        chosen = chosen & D.seq.in_(seqs)
    result = await session.execute(
        update(t.deliveries).where(chosen, D.status == "dead")
        .values(status="pending", attempts=0, next_attempt_at=now, dead_at=None)
    )  # fmt: skip
    return _count(result)


async def prune(session: AsyncSession, cutoff: datetime, batch: int) -> int:
    """Delete up to `batch` delivered rows older than `cutoff`; how many."""
    return _count(await session.execute(PRUNE, {"cutoff": cutoff, "batch": batch}))
