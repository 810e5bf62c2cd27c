"""Statements' rows: gapless numbers from a locked counter per series and term, the stored statement,
and the lookups of one statement's number or content."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.records import record
from services.gradebook.adapters import tables as t


@dataclass(frozen=True, kw_only=True)
class NumberedStatement:
    statement_id: uuid.UUID
    number: int


async def next_number(session: AsyncSession, series: str, term_id: str) -> int:
    c = t.statement_counters.c
    await session.execute(
        insert(t.statement_counters)
        .values(series=series, term_id=term_id, last_number=0)
        .on_conflict_do_nothing()
    )
    # The row lock is held to commit: the next transaction of this series and term waits, and a
    # rollback returns the number, so numbers have no gaps.
    last = (
        await session.execute(
            select(c.last_number).where(c.series == series, c.term_id == term_id).with_for_update()
        )
    ).scalar_one()
    await session.execute(
        update(t.statement_counters)
        .where(c.series == series, c.term_id == term_id)
        .values(last_number=last + 1)
    )
    return int(last) + 1


async def add_statement(session: AsyncSession, **values: Any) -> None:
    """One formed statement (the caller computed its number, content and hash)."""
    await session.execute(insert(t.statements).values(**values))


async def statement_number(session: AsyncSession, statement_id: uuid.UUID | None) -> int | None:
    """The statement's number; None when there is no such statement."""
    number = (
        await session.execute(
            select(t.statements.c.number).where(t.statements.c.statement_id == statement_id)
        )
    ).scalar()
    return None if number is None else int(number)


async def statement_content(session: AsyncSession, statement_id: uuid.UUID) -> str:
    content: str = (
        await session.execute(
            select(t.statements.c.content).where(t.statements.c.statement_id == statement_id)
        )
    ).scalar_one()
    return content


async def integrated_statement(
    session: AsyncSession, course_unit_id: uuid.UUID, group_id: uuid.UUID
) -> NumberedStatement | None:
    """The integrated statement of a course unit and group, if formed."""
    s = t.statements.c
    row = (
        await session.execute(
            select(s.statement_id, s.number).where(
                s.kind == "integrated", s.course_unit_id == course_unit_id, s.group_id == group_id
            )
        )
    ).first()
    return None if row is None else record(NumberedStatement, row)
