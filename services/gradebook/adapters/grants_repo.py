"""Reopen grants' rows as the reopen procedure reads and ends them (KZ-08, KZ-13). Recording a grant
goes through the owner's checking function (grants_sql.record_grant)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.gradebook.adapters import tables as t

G = t.reopen_grants.c


@dataclass(frozen=True, kw_only=True)
class Grant:
    """A reopen grant: one teacher may write one closed section of a journal until it expires."""

    grant_id: uuid.UUID
    case_id: str
    teacher_id: uuid.UUID
    journal_id: uuid.UUID
    section_id: uuid.UUID
    granted_at: datetime
    expires_at: datetime
    granted_by: str
    reason: str
    ended_at: datetime | None
    end_reason: str | None
    individual_statement_id: uuid.UUID | None


async def grant_of_case(session: AsyncSession, case_id: str, *, for_update: bool = False) -> Grant | None:
    """The case's grant, or None; `for_update` locks its row to the end of the transaction."""
    query = select(t.reopen_grants).where(G.case_id == case_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return None if row is None else record(Grant, row)


async def next_expired_grant(session: AsyncSession, now: datetime) -> Grant | None:
    """One grant past its expiry and not ended, locked; grants another worker holds are skipped."""
    row = (
        await session.execute(
            select(t.reopen_grants)
            .where(G.ended_at.is_(None), G.expires_at <= now)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
    ).first()
    return None if row is None else record(Grant, row)


async def end_grant(
    session: AsyncSession,
    grant_id: uuid.UUID,
    *,
    ended_at: datetime,
    end_reason: str,
    individual_statement_id: uuid.UUID | None,
) -> None:
    await session.execute(
        update(t.reopen_grants)
        .where(G.grant_id == grant_id)
        .values(ended_at=ended_at, end_reason=end_reason, individual_statement_id=individual_statement_id)
    )
