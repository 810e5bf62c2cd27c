"""Reopen grants' rows as the reopen procedure reads and ends them (KZ-08, KZ-13). Recording a grant
goes through the owner's checking function (grants_sql.record_grant)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t

G = t.reopen_grants.c


async def grant_of_case(session: AsyncSession, case_id: str, *, for_update: bool = False) -> Any | None:
    """The case's grant row, or None; `for_update` locks it to the end of the transaction."""
    query = select(t.reopen_grants).where(G.case_id == case_id)
    return (await session.execute(query.with_for_update() if for_update else query)).first()


async def next_expired_grant(session: AsyncSession, now: datetime) -> Any | None:
    """One grant past its expiry and not ended, locked; grants another worker holds are skipped."""
    return (
        await session.execute(
            select(t.reopen_grants)
            .where(G.ended_at.is_(None), G.expires_at <= now)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
    ).first()


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
