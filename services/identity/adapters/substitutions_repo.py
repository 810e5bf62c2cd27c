"""Substitutions (KZ-07, KG-07) in identity's database."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.identity.adapters.tables import substitutions as t
from services.identity.domain.substitutions import DecisionReference, Substitution, SubstitutionRequest


def to_substitution(row: Row[Any]) -> Substitution:
    r = row._mapping
    return Substitution(
        id=str(r["id"]),
        absent_teacher_id=str(r["absent_teacher_id"]),
        substitute_id=str(r["substitute_id"]),
        department_id=r["department_id"],
        university_id=r["university_id"],
        faculty_id=r["faculty_id"],
        journal_ids=tuple(r["journal_ids"]),
        course_unit_ids=tuple(r["course_unit_ids"]),
        starts_on=r["starts_on"],
        ends_on=r["ends_on"],
        decision=DecisionReference(r["protocol_number"], r["protocol_date"]),
        reason=r["reason"],
        appointed_by=r["appointed_by"],
        ended_on=r["ended_on"],
        end_reason=r["end_reason"],
    )


async def insert(
    session: AsyncSession,
    new: SubstitutionRequest,
    by: str,
    request_id: str | None,
    at: datetime,
    placement: tuple[str, str],
) -> str:
    row_id = uuid.uuid4()
    await session.execute(
        t.insert().values(
            id=row_id,
            request_id=request_id,
            absent_teacher_id=uuid.UUID(new.absent_teacher_id),
            substitute_id=uuid.UUID(new.substitute_id),
            department_id=new.department_id,
            university_id=placement[0],
            faculty_id=placement[1],
            journal_ids=list(new.journal_ids),
            course_unit_ids=list(new.course_unit_ids),
            starts_on=new.starts_on,
            ends_on=new.ends_on,
            protocol_number=new.decision.protocol_number,
            protocol_date=new.decision.protocol_date,
            reason=new.reason,
            appointed_by=by,
            appointed_at=at,
        )
    )
    return str(row_id)


async def get(session: AsyncSession, substitution_id: str, *, lock: bool = False) -> Substitution | None:
    try:
        key = uuid.UUID(substitution_id)
    except ValueError:
        return None
    query = select(t).where(t.c.id == key)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return to_substitution(row) if row else None


async def find_by_request_id(session: AsyncSession, request_id: str) -> Substitution | None:
    row = (await session.execute(select(t).where(t.c.request_id == request_id))).first()
    return to_substitution(row) if row else None


async def overlapping(session: AsyncSession, new: SubstitutionRequest) -> list[Substitution]:
    """Substitutions of the same absent teacher in force on any day of the new one's range."""
    query = select(t).where(
        t.c.absent_teacher_id == uuid.UUID(new.absent_teacher_id),
        t.c.starts_on <= new.ends_on,
        t.c.ends_on >= new.starts_on,
        or_(t.c.ended_on.is_(None), t.c.ended_on >= new.starts_on),
    )
    return [to_substitution(row) for row in (await session.execute(query)).all()]


async def end(session: AsyncSession, substitution_id: str, ended_on: date, by: str, reason: str) -> None:
    await session.execute(
        update(t)
        .where(t.c.id == uuid.UUID(substitution_id))
        .values(ended_on=ended_on, ended_by=by, end_reason=reason)
    )


async def list_rows(
    session: AsyncSession, department_id: str, teacher_id: str, active_on: date | None, page: Page
) -> list[Substitution]:
    query = keyset(select(t), page, [t.c.starts_on, t.c.id], [date.fromisoformat, uuid.UUID])
    if department_id:
        query = query.where(t.c.department_id == department_id)
    if teacher_id:
        try:
            key = uuid.UUID(teacher_id)
        except ValueError:
            return []
        query = query.where(or_(t.c.absent_teacher_id == key, t.c.substitute_id == key))
    if active_on is not None:
        query = query.where(t.c.starts_on <= active_on, t.c.ends_on >= active_on)
        query = query.where(or_(t.c.ended_on.is_(None), t.c.ended_on >= active_on))
    return [to_substitution(row) for row in (await session.execute(query)).all()]
