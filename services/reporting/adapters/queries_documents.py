"""Read-model queries behind the documents: statements with their content, a journal with its grid,
the lessons of a course unit for a group, people's names, reopen cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from services.reporting.adapters import read_models as rm
from services.reporting.adapters import workflow_models as wm
from services.reporting.adapters.queries_filling import Scope


async def names_of(session: AsyncSession, person_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted({p for p in person_ids if p})
    if not ids:
        return {}
    rows = await session.execute(
        select(rm.person.c.person_id, rm.person.c.full_name).where(rm.person.c.person_id.in_(ids))
    )
    return {row.person_id: row.full_name for row in rows}


async def unit_names(session: AsyncSession, unit_ids: Iterable[str]) -> dict[str, str]:
    """Printable titles of structure units (curriculum's StructureUnitDefined), by id."""
    ids = sorted({u for u in unit_ids if u})
    if not ids:
        return {}
    su = rm.structure_unit.c
    rows = await session.execute(select(su.unit_id, su.title).where(su.unit_id.in_(ids)))
    return {row.unit_id: row.title for row in rows}


@dataclass(frozen=True)
class StoredStatement:
    row: Any  # the rm_statement row
    content: gbs.Statement | None


async def statement(session: AsyncSession, statement_id: str) -> StoredStatement | None:
    row = (
        await session.execute(select(rm.statement).where(rm.statement.c.statement_id == statement_id))
    ).first()
    if row is None:
        return None
    content = None
    if row.content is not None:
        content = gbs.Statement()
        content.ParseFromString(row.content)
    return StoredStatement(row, content)


async def statements_of_term(session: AsyncSession, term_id: str) -> list[str]:
    query = select(rm.statement.c.statement_id).where(
        rm.statement.c.term_id == term_id, ~rm.statement.c.archived
    )
    return [
        row[0] for row in await session.execute(query.order_by(rm.statement.c.series, rm.statement.c.number))
    ]


async def printable_statements(session: AsyncSession, scope: Scope) -> list[str]:
    """Ids of the term's statements with their content, within the scope, in series and number order."""
    s = rm.statement
    query = select(s.c.statement_id).where(
        s.c.term_id == scope.term_id, ~s.c.archived, s.c.content.is_not(None)
    )
    for column in ("faculty_id", "department_id", "group_id", "course_unit_id"):
        if getattr(scope, column):
            query = query.where(s.c[column] == getattr(scope, column))
    return [row[0] for row in await session.execute(query.order_by(s.c.series, s.c.number))]


async def statement_by_print(session: AsyncSession, series: list[str], number: int, hash_prefix: str) -> Any:
    """The statement printed with this number (in one of these series) and content hash prefix, or None."""
    s = rm.statement
    query = select(s.c.statement_id, s.c.content_hash, s.c.formed_at).where(
        s.c.series.in_(series), s.c.number == number, s.c.content_hash.startswith(hash_prefix)
    )
    return (await session.execute(query)).first()


async def statements_without_content(session: AsyncSession, limit: int) -> list[tuple[str, str]]:
    """(statement_id, announced content hash) of live statements whose content is not fetched yet,
    the earliest formed first."""
    s = rm.statement
    query = (
        select(s.c.statement_id, s.c.content_hash)
        .where(s.c.content.is_(None), ~s.c.archived)
        .order_by(s.c.formed_at)
        .limit(limit)
    )
    return [(row.statement_id, row.content_hash) for row in await session.execute(query)]


async def store_content(session: AsyncSession, statement_id: str, content: bytes) -> None:
    """The statement's content, once: content already stored is never replaced (the record is sacred)."""
    s = rm.statement
    await session.execute(
        update(s).where(s.c.statement_id == statement_id, s.c.content.is_(None)).values(content=content)
    )


async def row_by(session: AsyncSession, table: Any, column: str, value: str) -> Any:
    return (await session.execute(select(table).where(table.c[column] == value))).first()


async def journal(session: AsyncSession, journal_id: str) -> Any:
    """The journal's rm_journal row, or None."""
    return await row_by(session, rm.journal, "journal_id", journal_id)


async def course_unit(session: AsyncSession, course_unit_id: str) -> Any:
    """The course unit's rm_course_unit row (its title, code, kind), or None."""
    return await row_by(session, rm.course_unit, "course_unit_id", course_unit_id)


async def term(session: AsyncSession, term_id: str) -> Any:
    """The term's rm_term row (its number and dates), or None."""
    return await row_by(session, rm.term, "term_id", term_id)


@dataclass(frozen=True)
class JournalGrid:
    journal: Any
    lessons: list[Any]  # rm_lesson rows, by date
    sections: list[Any]  # rm_section rows
    students: list[str]
    marks: dict[tuple[str, str], str]  # (column, student) -> value
    attendance: dict[tuple[str, str], str]


async def journal_grid(session: AsyncSession, journal_id: str) -> JournalGrid | None:
    journal = await row_by(session, rm.journal, "journal_id", journal_id)
    if journal is None:
        return None
    lesson = rm.lesson
    lessons = (
        await session.execute(
            select(lesson)
            .where(
                lesson.c.course_unit_id == journal.course_unit_id,
                lesson.c.group_id == journal.group_id,
                lesson.c.lesson_type == journal.lesson_type,
                ~lesson.c.cancelled,
            )
            .order_by(lesson.c.lesson_date, lesson.c.starts_at, lesson.c.number)
        )
    ).all()
    if journal.subgroup_id:
        lessons = [row for row in lessons if row.subgroup_id in ("", journal.subgroup_id)]
    sections = (
        await session.execute(
            select(rm.section)
            .where(rm.section.c.journal_id == journal_id)
            .order_by(rm.section.c.section_date)
        )
    ).all()
    marks = {
        (row.column_id, row.student_id): row.value
        for row in await session.execute(select(rm.mark).where(rm.mark.c.journal_id == journal_id))
        if row.value
    }
    attendance = {
        (row.lesson_id, row.student_id): row.status
        for row in await session.execute(
            select(rm.attendance).where(rm.attendance.c.journal_id == journal_id)
        )
    }
    enrolled = select(rm.enrollment.c.student_id).where(rm.enrollment.c.group_id == journal.group_id)
    if journal.subgroup_id:
        enrolled = enrolled.where(rm.enrollment.c.subgroup_id == journal.subgroup_id)
    students = (
        {row[0] for row in await session.execute(enrolled)}
        | {s for _, s in marks}
        | {s for _, s in attendance}
    )
    return JournalGrid(journal, list(lessons), list(sections), sorted(students), marks, attendance)


async def plan_lessons(session: AsyncSession, course_unit_id: str, group_id: str) -> list[Any]:
    lesson = rm.lesson
    query = (
        select(lesson)
        .where(lesson.c.course_unit_id == course_unit_id, lesson.c.group_id == group_id, ~lesson.c.cancelled)
        .order_by(lesson.c.lesson_date, lesson.c.starts_at, lesson.c.number)
    )
    return list((await session.execute(query)).all())


async def reopen_case(session: AsyncSession, case_id: str) -> Any:
    return await row_by(session, wm.reopen_case, "case_id", case_id)


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""
