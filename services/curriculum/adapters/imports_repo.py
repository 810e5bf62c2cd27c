"""Import records (what each import did, for GetImport and the "same file again" answer) and the lock
that keeps one import of a kind per academic year at a time."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.locks import IMPORT_LOCK
from services.curriculum.adapters.models import AcademicYear, ImportRecord
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec


async def lock(session: AsyncSession, key: str) -> None:
    """Held to the end of the transaction: imports of the same kind and year would check against each
    other's rows."""
    await session.execute(IMPORT_LOCK, {"key": key})


def add(session: AsyncSession, **values: Any) -> None:
    session.add(ImportRecord(**values))


async def applied_before(session: AsyncSession, kind: str, sha256: str) -> uuid.UUID | None:
    """An import of the same kind and content that was applied (or found nothing to change), if any."""
    return await session.scalar(
        select(ImportRecord.id)
        .where(
            ImportRecord.kind == kind,
            ImportRecord.sha256 == sha256,
            ImportRecord.status.in_(("applied", "unchanged")),
        )
        .limit(1)
    )


async def find(session: AsyncSession, import_id: uuid.UUID) -> rec.Import | None:
    row = await session.get(ImportRecord, import_id)
    return None if row is None else record(rec.Import, row)


async def university_of_year(session: AsyncSession, year_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(AcademicYear.university_id).where(AcademicYear.id == year_id))
