"""The read side's rows (service_layer/reads.py): a teacher's journals, journals' open reopen cases, a
cell's history and the chain head, the current cells, statements and the department that finished a
course unit. Each function takes the unit of work's session and returns named records; the grid itself
is read by grid_sql.py in one pipelined round trip."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.gradebook.adapters import tables as t
from services.gradebook.adapters.reads_sql import (
    ACTIVE_CASES_OF_JOURNALS,
    CURRENT_CELLS,
    FINISHING_DEPARTMENT,
    MY_JOURNALS,
)
from services.gradebook.domain.history_chain import Change, StoredChange


async def my_journal_ids(
    session: AsyncSession,
    *,
    me: uuid.UUID,
    today: date,
    term: uuid.UUID | None,
    after: uuid.UUID | None,
    fetch: int,
) -> list[uuid.UUID]:
    """Ids of the journals `me` teaches or substitutes in today, by id after `after`, `fetch` of them."""
    params = {"me": me, "today": today, "term": term, "after": after, "fetch": fetch}
    return list((await session.execute(MY_JOURNALS, params)).scalars())


async def open_cases_of_journals(
    session: AsyncSession, journal_ids: list[uuid.UUID], now: datetime
) -> dict[uuid.UUID, dict[uuid.UUID, str]]:
    """Each journal's open reopen cases: section id -> case id (a journal without any: {})."""
    cases: dict[uuid.UUID, dict[uuid.UUID, str]] = {j: {} for j in journal_ids}
    if journal_ids:
        for r in await session.execute(ACTIVE_CASES_OF_JOURNALS, {"j": journal_ids, "now": now}):
            cases[r.journal_id][r.section_id] = r.case_id
    return cases


async def course_number(session: AsyncSession, course_unit_id: uuid.UUID) -> int:
    """The course unit's year of study; 0 when unknown."""
    u = t.course_units.c
    found = await session.scalar(select(u.course_number).where(u.course_unit_id == course_unit_id))
    return int(found or 0)


async def person_names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[str, str]:
    """Names of people by id as identity's PersonCreated gave them (the names table); ids not known
    are absent."""
    if not ids:
        return {}
    n = t.names.c
    found = await session.execute(select(n.name_id, n.title).where(n.name_id.in_(ids), n.kind == "person"))
    return {str(row.name_id): str(row.title) for row in found}


async def history_of(
    session: AsyncSession,
    journal_id: uuid.UUID,
    term_id: uuid.UUID,
    *,
    column_id: uuid.UUID | None = None,
    student_id: uuid.UUID | None = None,
) -> list[StoredChange]:
    """The journal's history in position order (its term's partition), optionally of one column and/or
    one student, each change with its links."""
    h = t.history.c
    query = select(t.history).where(h.journal_id == journal_id, h.term_id == term_id).order_by(h.position)
    if column_id is not None:
        query = query.where(h.column_id == column_id)
    if student_id is not None:
        query = query.where(h.student_id == student_id)
    return [StoredChange(_change(r), bytes(r.prev_hash), bytes(r.hash)) for r in await session.execute(query)]


def _change(r: Any) -> Change:
    return Change(
        journal_id=str(r.journal_id),
        position=int(r.position),
        kind=r.kind,
        column_id=str(r.column_id),
        student_id=str(r.student_id),
        old_value=r.old_value,
        new_value=r.new_value,
        author_id=r.author_id,
        on_behalf_of_id=r.on_behalf_of_id,
        reason=r.reason,
        grant_id=str(r.grant_id) if r.grant_id else None,
        case_id=r.case_id,
        recorded_at=r.recorded_at,
        typed_at=r.typed_at,
    )


class ChainHead(NamedTuple):
    position: int
    hash: bytes


async def chain_head(session: AsyncSession, journal_id: uuid.UUID) -> ChainHead | None:
    c = t.chain_heads.c
    found = (await session.execute(select(c.position, c.hash).where(c.journal_id == journal_id))).first()
    return ChainHead(int(found.position), bytes(found.hash)) if found else None


class CurrentCell(NamedTuple):
    kind: str  # mark or attendance
    column_id: str
    student_id: str
    value: str | None


async def current_cells(session: AsyncSession, journal_id: uuid.UUID) -> list[CurrentCell]:
    """Every mark and attendance cell of the journal as stored now (its term's partitions)."""
    rows = await session.execute(CURRENT_CELLS, {"j": journal_id})
    return [
        CurrentCell(kind=r.kind, column_id=r.column_id, student_id=r.student_id, value=r.value) for r in rows
    ]


class StatementRecord(NamedTuple):
    statement_id: uuid.UUID
    journal_id: uuid.UUID | None  # None: an integrated statement (of a course unit and group)
    course_unit_id: uuid.UUID | None
    group_id: uuid.UUID | None
    content: str
    content_hash: str


_STATEMENT = (
    t.statements.c.statement_id,
    t.statements.c.journal_id,
    t.statements.c.course_unit_id,
    t.statements.c.group_id,
    t.statements.c.content,
    t.statements.c.content_hash,
)


def _statement(r: Any) -> StatementRecord:
    return StatementRecord(
        statement_id=r.statement_id,
        journal_id=r.journal_id,
        course_unit_id=r.course_unit_id,
        group_id=r.group_id,
        content=r.content,
        content_hash=r.content_hash,
    )


async def statement(session: AsyncSession, statement_id: uuid.UUID) -> StatementRecord | None:
    found = (
        await session.execute(select(*_STATEMENT).where(t.statements.c.statement_id == statement_id))
    ).first()
    return _statement(found) if found else None


async def statements_of_journal(session: AsyncSession, journal_id: uuid.UUID) -> list[StatementRecord]:
    """The journal's statements in the order they were formed."""
    s = t.statements.c
    query = select(*_STATEMENT).where(s.journal_id == journal_id).order_by(s.formed_at, s.number)
    return [_statement(r) for r in await session.execute(query)]


class FinishingDepartment(NamedTuple):
    university_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    department_id: uuid.UUID | None


async def finishing_department(
    session: AsyncSession, course_unit_id: uuid.UUID | None
) -> FinishingDepartment:
    """Where a course unit's teaching finished (KZ-04): its last part's department, or its own; all
    None when the course unit is not known."""
    found = (await session.execute(FINISHING_DEPARTMENT, {"u": course_unit_id})).first()
    if found is None:
        return FinishingDepartment(None, None, None)
    return FinishingDepartment(
        university_id=found.university_id, faculty_id=found.faculty_id, department_id=found.department_id
    )
