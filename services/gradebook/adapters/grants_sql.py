"""SQL of reopen grants (KZ-08, KZ-13): the active grants a write may name, recording one through the
owner's checking function, and the students a grant's corrections touched."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

ACTIVE_GRANTS = text(
    """
    SELECT grant_id, case_id, section_id FROM reopen_grants
    WHERE journal_id = :j AND teacher_id = :t AND ended_at IS NULL AND expires_at > :now
      AND section_id = ANY(:sections)
    """
)

RECORD_GRANT = text(
    "SELECT ejournal_record_reopen_grant(:grant_id, :case_id, :teacher_id, :journal_id, :section_id,"
    " :granted_at, :expires_at, :granted_by, :reason)"
)
CORRECTED = text("SELECT DISTINCT student_id FROM history WHERE grant_id = :g ORDER BY student_id")


class ActiveGrantRow(NamedTuple):
    grant_id: uuid.UUID
    case_id: str
    section_id: uuid.UUID


async def active_grants(
    session: AsyncSession,
    journal_id: uuid.UUID,
    teacher_id: uuid.UUID,
    sections: Iterable[uuid.UUID],
    now: datetime,
) -> list[ActiveGrantRow]:
    rows = await session.execute(
        ACTIVE_GRANTS, {"j": journal_id, "t": teacher_id, "now": now, "sections": list(sections)}
    )
    return [ActiveGrantRow(*r) for r in rows.all()]


async def record_grant(session: AsyncSession, **values: object) -> uuid.UUID:
    """Through `ejournal_record_reopen_grant` (SECURITY DEFINER), which re-checks the grant and logs it;
    the id of the case's grant (another one when a concurrent call with the same case won)."""
    recorded: uuid.UUID = (await session.execute(RECORD_GRANT, values)).scalar_one()
    return recorded


async def corrected_students(session: AsyncSession, grant_id: uuid.UUID) -> list[uuid.UUID]:
    return list((await session.execute(CORRECTED, {"g": grant_id})).scalars())
