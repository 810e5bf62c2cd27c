"""What routing keeps: the structure's anchors (unit -> parent, journal -> its place), the events
parked until their university is known, the events waiting for the export NATS, and the advisory
locks that let one dispatcher and one exporter work at a time."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ejournal_platform.records import record
from services.subscribers.adapters import tables as t
from services.subscribers.adapters.queries import TRY_DISPATCH_LOCK, TRY_EXPORT_LOCK
from services.subscribers.adapters.stored_event import StoredEvent

A, P, X = t.anchors.c, t.parked.c, t.exports.c


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """Where a unit or a journal sits: its kind and its parent (None at the top)."""

    anchor_id: uuid.UUID
    kind: str
    parent_id: uuid.UUID | None


@dataclass(frozen=True, kw_only=True)
class ParkedEvent(StoredEvent):
    """An event waiting until its university is known."""

    parked_at: datetime


@dataclass(frozen=True, kw_only=True)
class EventToExport(StoredEvent):
    """An event waiting to be republished on the export NATS for its university."""

    university_id: str


async def keep_anchor(
    session: AsyncSession, anchor_id: uuid.UUID, kind: str, parent_id: uuid.UUID | None
) -> None:
    values = {"kind": kind, "parent_id": parent_id}
    await session.execute(
        insert(t.anchors)
        .values(anchor_id=anchor_id, **values)
        .on_conflict_do_update(index_elements=["anchor_id"], set_=values)
    )


async def anchors(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Anchor]:
    """The known ones among `ids`."""
    query = select(A.anchor_id, A.kind, A.parent_id).where(A.anchor_id.in_(ids))
    return [record(Anchor, r) for r in await session.execute(query)]


async def parked_on(session: AsyncSession, subject: str) -> bool:
    """Whether an event of this subject is parked (a later one must wait behind it)."""
    return bool((await session.execute(select(exists().where(P.subject == subject)))).scalar_one())


async def park(session: AsyncSession, event: dict[str, Any]) -> None:
    await session.execute(insert(t.parked).values(**event).on_conflict_do_nothing())


async def parked_batch(session: AsyncSession, batch: int) -> list[ParkedEvent]:
    """The oldest parked events, locked for this transaction (others skip them)."""
    query = select(t.parked).order_by(P.seq).limit(batch).with_for_update(skip_locked=True)
    return [record(ParkedEvent, r) for r in await session.execute(query)]


async def unpark(session: AsyncSession, seqs: Sequence[int]) -> None:
    await session.execute(delete(t.parked).where(P.seq.in_(seqs)))


async def queue_export(session: AsyncSession, university_id: str, event: dict[str, Any]) -> None:
    await session.execute(
        insert(t.exports).values(university_id=university_id, **event).on_conflict_do_nothing()
    )


async def exports_due(session: AsyncSession, batch: int) -> list[EventToExport]:
    query = select(t.exports).order_by(X.seq).limit(batch)
    return [record(EventToExport, r) for r in await session.execute(query)]


async def exported(session: AsyncSession, seqs: Sequence[int]) -> None:
    await session.execute(delete(t.exports).where(X.seq.in_(seqs)))


async def try_dispatch_lock(connection: AsyncConnection, key: int) -> bool:
    """Take the dispatchers' session-level advisory lock on this connection, if free (it outlives the
    caller's transaction, which the caller ends)."""
    return bool((await connection.execute(TRY_DISPATCH_LOCK, {"k": key})).scalar())


async def try_export_lock(connection: AsyncConnection, key: int) -> bool:
    """Take the exporters' session-level advisory lock on this connection, if free (as above)."""
    return bool((await connection.execute(TRY_EXPORT_LOCK, {"k": key})).scalar())
