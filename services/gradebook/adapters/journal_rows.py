"""A journal's columns, sections and marks as use cases read them (totals, statements, checks)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.binary_statements import driver_connection
from services.gradebook.domain.totals import MarkInput


@dataclass(frozen=True)
class ColumnInfo:
    column_id: uuid.UUID
    kind: str
    date: date
    section_id: uuid.UUID | None
    control_kind: str | None
    cancelled: bool
    classroom_id: uuid.UUID | None
    starts_at: str


@dataclass(frozen=True)
class SectionInfo:
    section_id: uuid.UUID
    control_kind: str
    date: date
    closing_deadline: datetime | None
    closed_at: datetime | None
    closed_by: str | None
    statement_id: uuid.UUID | None


COLUMNS = """
SELECT column_id, kind, date, section_id, control_kind, cancelled, classroom_id, starts_at
FROM columns WHERE journal_id = %b
"""
SECTIONS = """
SELECT section_id, control_kind, date, closing_deadline, closed_at, closed_by, statement_id
FROM sections WHERE journal_id = %b ORDER BY date, section_id
"""


SECTIONS_OF_JOURNALS = """
SELECT journal_id, section_id, control_kind, date, closing_deadline, closed_at, closed_by, statement_id
FROM sections WHERE journal_id = ANY(%b) ORDER BY journal_id, date, section_id
"""


async def sections_of_journals(
    session: AsyncSession, journal_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, SectionInfo]]:
    """`sections_of` for several journals in one round trip (a page of a journal list)."""
    found: dict[uuid.UUID, dict[uuid.UUID, SectionInfo]] = {j: {} for j in journal_ids}
    if not journal_ids:
        return found
    conn = await driver_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(SECTIONS_OF_JOURNALS, (journal_ids,))
        for r in await cur.fetchall():
            found[r[0]][r[1]] = SectionInfo(*r[1:])
    return found


async def columns_of(session: AsyncSession, journal_id: uuid.UUID) -> dict[uuid.UUID, ColumnInfo]:
    conn = await driver_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(COLUMNS, (journal_id,))
        return {r[0]: ColumnInfo(*r) for r in await cur.fetchall()}


async def sections_of(session: AsyncSession, journal_id: uuid.UUID) -> dict[uuid.UUID, SectionInfo]:
    conn = await driver_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(SECTIONS, (journal_id,))
        return {r[0]: SectionInfo(*r) for r in await cur.fetchall()}


async def marks_by_student(
    session: AsyncSession, journal_id: uuid.UUID, columns: dict[uuid.UUID, ColumnInfo]
) -> dict[uuid.UUID, list[tuple[ColumnInfo, MarkInput]]]:
    rows = await session.execute(
        text(
            "SELECT column_id, student_id, value FROM marks WHERE journal_id = :j AND value IS NOT NULL "
            "AND term_id = (SELECT term_id FROM journals WHERE journal_id = :j) "
            "ORDER BY column_id"
        ),
        {"j": journal_id},
    )
    found: dict[uuid.UUID, list[tuple[ColumnInfo, MarkInput]]] = defaultdict(list)
    for r in rows:
        column = columns.get(r.column_id)
        if column is None or column.cancelled:
            continue
        found[r.student_id].append((column, MarkInput(column.kind, column.control_kind, r.value)))
    for marks in found.values():
        marks.sort(key=lambda pair: (pair[0].date, str(pair[0].column_id)))
    return found
