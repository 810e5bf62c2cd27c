"""Reopen counts, proposed and confirmed sanctions, corrective measures (KZ-10, KZ-13.5-7, KZ-14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from services.workflow.adapters.event_messages import proposal_event
from services.workflow.adapters.tables import (
    corrective_measures,
    counted_reopens,
    reopen_cases,
    sanction_proposals,
)
from services.workflow.domain.sanctions import Ladder, Proposal, Subject, propose
from services.workflow.reopen.messages import CountReopenInput, CountReopenResult


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


async def count_reopen(
    uow: UnitOfWork, counted: CountReopenInput, ladders: tuple[Ladder, Ladder] | None
) -> CountReopenResult:
    """Count the case once; a retry returns the first answer (the counts and proposals stored then)."""
    async with uow:
        session = uow.session
        # Cases of one department and term are counted one at a time, so each gets its own number.
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"reopen-count:{counted.term_id}:{counted.department_id}"},
        )
        row = (
            await session.execute(select(counted_reopens).where(counted_reopens.c.case_id == counted.case_id))
        ).first()
        if row is None:
            teacher_count = 1 + int(
                await session.scalar(
                    select(func.count()).where(
                        counted_reopens.c.term_id == counted.term_id,
                        counted_reopens.c.teacher_id == counted.teacher_id,
                    )
                )
                or 0
            )
            department_count = 1 + int(
                await session.scalar(
                    select(func.count()).where(
                        counted_reopens.c.term_id == counted.term_id,
                        counted_reopens.c.department_id == counted.department_id,
                    )
                )
                or 0
            )
            await session.execute(
                insert(counted_reopens).values(
                    case_id=counted.case_id,
                    teacher_id=counted.teacher_id,
                    department_id=counted.department_id,
                    faculty_id=counted.faculty_id,
                    term_id=counted.term_id,
                    reason=counted.reason,
                    correction_late=counted.correction_late,
                    completed_at=counted.completed_at,
                    teacher_count=teacher_count,
                    department_count=department_count,
                )
            )
            proposals = (
                propose(
                    case_id=counted.case_id,
                    term_id=counted.term_id,
                    teacher_id=counted.teacher_id,
                    department_id=counted.department_id,
                    teacher_count=teacher_count,
                    department_count=department_count,
                    teacher_ladder=ladders[0],
                    department_ladder=ladders[1],
                )
                if ladders
                else ()
            )
            # Where the case sits, for the registrar office's list (its row exists: it was counted).
            where = (
                await session.execute(
                    select(reopen_cases.c.university_id).where(reopen_cases.c.case_id == counted.case_id)
                )
            ).first()
            for proposal in proposals:
                await session.execute(
                    insert(sanction_proposals).values(
                        proposal_id=proposal.proposal_id,
                        subject=proposal.subject.value,
                        subject_id=proposal.subject_id,
                        term_id=proposal.term_id,
                        count=proposal.count,
                        measure=proposal.measure,
                        case_id=proposal.case_id,
                        proposed_at=counted.completed_at,
                        university_id=where.university_id if where is not None else "",
                        faculty_id=counted.faculty_id,
                        department_id=counted.department_id,
                    )
                )
                uow.add_event(Event(proposal_event(proposal), subject=f"reopen_case/{counted.case_id}"))
            await uow.commit()
            return CountReopenResult(teacher_count, department_count, proposals)
        stored = await session.execute(
            select(sanction_proposals)
            .where(sanction_proposals.c.case_id == counted.case_id)
            .order_by(sanction_proposals.c.proposal_id.desc())
        )
        return CountReopenResult(
            row.teacher_count, row.department_count, tuple(_proposal(p) for p in stored.all())
        )


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
    """KZ-13.5: the term's reopens with their reasons, for the registrar head's analysis."""
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
