"""Reopen counts, proposed and confirmed sanctions, corrective measures (KZ-10, KZ-13.5-7, KZ-14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.workflow.adapters.tables import (
    corrective_measures,
    counted_reopens,
    reopen_cases,
    sanction_proposals,
)
from services.workflow.domain.sanctions import Proposal, Subject
from services.workflow.processes.reopen.messages import CountReopenInput


def _proposal(row: Any) -> Proposal:
    return Proposal(
        row.proposal_id,
        Subject(row.subject),
        row.subject_id,
        row.term_id,
        row.count,
        row.measure,
        row.case_id,
    )


async def lock_counting(session: AsyncSession, term_id: str, department_id: str) -> None:
    """Cases of one department and term are counted one at a time (to the transaction's end), so each
    gets its own number."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
        {"key": f"reopen-count:{term_id}:{department_id}"},
    )


async def counted(session: AsyncSession, case_id: str) -> Any:
    """The case's count row, or None when it was not counted yet."""
    return (
        await session.execute(select(counted_reopens).where(counted_reopens.c.case_id == case_id))
    ).first()


async def reopens_so_far(
    session: AsyncSession, term_id: str, teacher_id: str, department_id: str
) -> tuple[int, int]:
    """The teacher's and the department's reopens counted in the term."""
    c = counted_reopens.c
    teacher = await session.scalar(
        select(func.count()).where(c.term_id == term_id, c.teacher_id == teacher_id)
    )
    department = await session.scalar(
        select(func.count()).where(c.term_id == term_id, c.department_id == department_id)
    )
    return int(teacher or 0), int(department or 0)


async def insert_count(
    session: AsyncSession, case: CountReopenInput, teacher_count: int, department_count: int
) -> None:
    await session.execute(
        insert(counted_reopens).values(
            case_id=case.case_id,
            teacher_id=case.teacher_id,
            department_id=case.department_id,
            faculty_id=case.faculty_id,
            term_id=case.term_id,
            reason=case.reason,
            correction_late=case.correction_late,
            completed_at=case.completed_at,
            teacher_count=teacher_count,
            department_count=department_count,
        )
    )


async def university_of_case(session: AsyncSession, case_id: str) -> str:
    found = await session.scalar(
        select(reopen_cases.c.university_id).where(reopen_cases.c.case_id == case_id)
    )
    return str(found or "")


@dataclass(frozen=True)
class Where:
    """Where a proposal's case sits: the registrar office's list reaches its own only."""

    university_id: str
    faculty_id: str
    department_id: str


async def insert_proposal(
    session: AsyncSession, proposal: Proposal, proposed_at: datetime, where: Where
) -> None:
    await session.execute(
        insert(sanction_proposals).values(
            proposal_id=proposal.proposal_id,
            subject=proposal.subject.value,
            subject_id=proposal.subject_id,
            term_id=proposal.term_id,
            count=proposal.count,
            measure=proposal.measure,
            case_id=proposal.case_id,
            proposed_at=proposed_at,
            **where.__dict__,
        )
    )


async def proposals_of_case(session: AsyncSession, case_id: str) -> tuple[Proposal, ...]:
    stored = await session.execute(
        select(sanction_proposals)
        .where(sanction_proposals.c.case_id == case_id)
        .order_by(sanction_proposals.c.proposal_id.desc())
    )
    return tuple(_proposal(p) for p in stored.all())


async def get_proposal(session: AsyncSession, proposal_id: str) -> Any:
    return (
        await session.execute(
            select(sanction_proposals).where(sanction_proposals.c.proposal_id == proposal_id)
        )
    ).first()


async def confirm_proposal(
    session: AsyncSession, proposal_id: str, reference: str, by: str, at: datetime
) -> bool:
    result = await session.execute(
        update(sanction_proposals)
        .where(sanction_proposals.c.proposal_id == proposal_id, sanction_proposals.c.status == "proposed")
        .values(status="confirmed", reference=reference, confirmed_by=by, confirmed_at=at)
        .returning(sanction_proposals.c.proposal_id)
    )
    return result.first() is not None


@dataclass(frozen=True)
class Reach:
    """Where a role of the caller reaches: the universities, faculties and departments of its grants."""

    university_ids: tuple[str, ...] = ()
    faculty_ids: tuple[str, ...] = ()
    department_ids: tuple[str, ...] = ()


async def pending_proposals(
    session: AsyncSession, reach: Reach, limit: int, after: tuple[datetime, str] | None = None
) -> list[Any]:
    """Proposals waiting for confirmation within `reach` (never another university's), oldest first
    (after `after`'s time and id, when given)."""
    p = sanction_proposals.c
    proposal_id = p.proposal_id.collate("C")
    within = or_(
        p.university_id.in_(reach.university_ids),
        p.faculty_id.in_(reach.faculty_ids),
        p.department_id.in_(reach.department_ids),
    )
    query = (
        select(sanction_proposals).where(p.status == "proposed", within).order_by(p.proposed_at, proposal_id)
    )
    if after is not None:
        query = query.where(
            or_(p.proposed_at > after[0], and_(p.proposed_at == after[0], proposal_id > after[1]))
        )
    return list((await session.execute(query.limit(limit))).all())


@dataclass(frozen=True)
class MeasureRecord:
    measure_id: str
    kind: str
    description: str
    scope_type: str
    scope_id: str
    term_id: str
    case_id: str
    recorded_by: str
    recorded_at: datetime


async def insert_measure(session: AsyncSession, measure: MeasureRecord) -> bool:
    inserted = await session.scalar(
        insert(corrective_measures)
        .values(**measure.__dict__)
        .on_conflict_do_nothing()
        .returning(corrective_measures.c.measure_id)
    )
    return inserted is not None


async def reopen_counts(session: AsyncSession, term_id: str, by: str) -> list[Any]:
    """Reopens in the term per teacher (`by="teacher"`) or per department (`by="department"`)."""
    column = counted_reopens.c.teacher_id if by == "teacher" else counted_reopens.c.department_id
    query = (
        select(column.label("subject_id"), func.count().label("count"))
        .where(counted_reopens.c.term_id == term_id)
        .group_by(column)
        .order_by(func.count().desc(), column)
    )
    return list((await session.execute(query)).all())


async def reopen_reasons(session: AsyncSession, term_id: str) -> list[Any]:
    """KZ-13.5: the term's reopens with their reasons, for the registrar head's analysis; each with its
    university (the case's, copied onto the row by migration 0009; "" when unknown), so a caller's
    reach can be checked."""
    query = (
        select(counted_reopens)
        .where(counted_reopens.c.term_id == term_id)
        .order_by(counted_reopens.c.completed_at, counted_reopens.c.case_id)
    )
    return list((await session.execute(query)).all())


async def measures_of_term(session: AsyncSession, term_id: str) -> list[Any]:
    query = (
        select(corrective_measures)
        .where(corrective_measures.c.term_id == term_id)
        .order_by(corrective_measures.c.recorded_at)
    )
    return list((await session.execute(query)).all())
