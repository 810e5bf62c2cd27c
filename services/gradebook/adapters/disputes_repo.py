"""Grade disputes' rows (KG-10): the dispute, its numbered message thread, the disputed mark's value and
the pages of a listing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import after
from ejournal_platform.records import record
from services.gradebook.adapters import tables as t

D = t.disputes.c
M = t.dispute_messages.c


@dataclass(frozen=True, kw_only=True)
class Dispute:
    dispute_id: uuid.UUID
    journal_id: uuid.UUID
    column_id: uuid.UUID
    student_id: uuid.UUID
    disputed_value: str
    opened_at: datetime
    answer_due_at: datetime
    status: str
    answered_by: str | None
    answered_at: datetime | None
    corrected_value: str | None
    decision_reason: str | None


@dataclass(frozen=True, kw_only=True)
class ThreadMessage:
    seq: int
    author_id: str
    author_role: str
    text: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class DisputeKey:
    """A dispute's place in a listing: by opening time, then id."""

    opened_at: datetime
    dispute_id: uuid.UUID


async def add_message(
    session: AsyncSession, dispute_id: uuid.UUID, author: str, role: str, body: str, at: datetime
) -> None:
    """The thread's next message (numbered after the last one; the dispute's row lock orders writers)."""
    seq = (
        await session.execute(select(func.coalesce(func.max(M.seq), 0)).where(M.dispute_id == dispute_id))
    ).scalar_one()
    await session.execute(
        insert(t.dispute_messages).values(
            dispute_id=dispute_id, seq=seq + 1, author_id=author, author_role=role, text=body, at=at
        )
    )


async def dispute(
    session: AsyncSession, dispute_id: uuid.UUID, *, for_update: bool = False
) -> Dispute | None:
    query = select(t.disputes).where(D.dispute_id == dispute_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return None if row is None else record(Dispute, row)


async def thread(session: AsyncSession, dispute_id: uuid.UUID) -> list[ThreadMessage]:
    """The dispute's messages in order."""
    rows = await session.execute(select(t.dispute_messages).where(M.dispute_id == dispute_id).order_by(M.seq))
    return [record(ThreadMessage, r) for r in rows]


async def mark_value(
    session: AsyncSession,
    journal_id: uuid.UUID,
    term_id: uuid.UUID,
    column_id: uuid.UUID,
    student_id: uuid.UUID,
) -> str | None:
    """The cell's current value (None when the cell holds no mark)."""
    value: str | None = (
        await session.execute(
            select(t.marks.c.value).where(
                t.marks.c.journal_id == journal_id,
                t.marks.c.term_id == term_id,
                t.marks.c.column_id == column_id,
                t.marks.c.student_id == student_id,
            )
        )
    ).scalar()
    return value


async def open_dispute(session: AsyncSession, **values: Any) -> bool:
    """Record an open dispute; False when the grade has an open one already (the unique index says)."""
    created = await session.execute(
        insert(t.disputes).values(**values).on_conflict_do_nothing().returning(D.dispute_id)
    )
    return created.first() is not None


async def record_answer(session: AsyncSession, dispute_id: uuid.UUID, **values: Any) -> None:
    """The teacher's decision on the dispute (status, answered_by/at, corrected value, reason)."""
    await session.execute(update(t.disputes).where(D.dispute_id == dispute_id).values(**values))


async def dispute_page(
    session: AsyncSession,
    *,
    fetch: int,
    after_key: tuple[Any, ...] | None = None,
    journal_id: uuid.UUID | None = None,
    student_ids: Sequence[uuid.UUID] = (),
    status: str = "",
) -> list[DisputeKey]:
    """Up to `fetch` (opened_at, dispute_id) keys after `after_key`, by opening time then id, of the
    disputes matching every given filter (each of `student_ids` must match)."""
    order = (D.opened_at, D.dispute_id)
    query = select(*order).order_by(*order).limit(fetch)
    if after_key is not None:
        query = query.where(after(order, after_key))
    if journal_id is not None:
        query = query.where(D.journal_id == journal_id)
    for student in student_ids:
        query = query.where(D.student_id == student)
    if status:
        query = query.where(D.status == status)
    return [record(DisputeKey, r) for r in await session.execute(query)]
