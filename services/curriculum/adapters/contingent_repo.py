"""Reads and writes of the contingent: a student's placements and movements (a group's members on a
date: group_members_sql.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.models import Group, Movement, Placement, RecordedCell, Specialty
from services.curriculum.domain.contingent import GroupRef
from services.curriculum.domain.contingent import Placement as PlacementView


def group_ref(group: Group) -> GroupRef:
    return GroupRef(str(group.id), group.code, str(group.academic_year_id), group.course_number)


async def lock_student(session: AsyncSession, student_id: uuid.UUID) -> None:
    """Serialise orders about one student (two concurrent enrollments must not both pass the checks)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"student:{student_id}"}
    )


async def placements_of(
    session: AsyncSession, student_id: uuid.UUID
) -> list[tuple[Placement, PlacementView]]:
    rows = await session.execute(
        select(Placement, Group)
        .join(Group, Group.id == Placement.group_id)
        .where(Placement.student_id == student_id)
    )
    return [
        (
            p,
            PlacementView(
                group_ref(g), str(p.subgroup_id) if p.subgroup_id else None, p.valid_from, p.valid_until
            ),
        )
        for p, g in rows.all()
    ]


async def same_order_again(
    session: AsyncSession, student_id: uuid.UUID, kind: str, number: str, signed: date
) -> Movement | None:
    """The movement this order already made (a retry of the same order), if any."""
    found: Movement | None = await session.scalar(
        select(Movement).where(
            Movement.student_id == student_id,
            Movement.kind == kind,
            Movement.order_number == number,
            Movement.order_date == signed,
        )
    )
    return found


async def name_of(session: AsyncSession, placement: Placement) -> str:
    opened = await session.get(Movement, placement.opened_by)
    return opened.student_name if opened else ""


async def movements_of(session: AsyncSession, student_id: uuid.UUID) -> list[Movement]:
    """The student's movements in the order they took effect."""
    rows = await session.scalars(
        select(Movement)
        .where(Movement.student_id == student_id)
        .order_by(Movement.effective_date, Movement.recorded_at)
    )
    return list(rows)


# What the contingent import reads (in batches of its own) beyond the use cases' reads.


@dataclass(frozen=True, kw_only=True)
class OpenPlacement:
    """Where a student sits now in a year: the group (id and code) of their course, and the subgroup."""

    student_id: uuid.UUID
    group_id: uuid.UUID
    group_code: str
    course_number: int
    subgroup_id: uuid.UUID | None


async def open_placements_in_year(
    session: AsyncSession, students: list[uuid.UUID], year_id: uuid.UUID
) -> list[OpenPlacement]:
    """The students' open placements this year."""
    rows = await session.execute(
        select(Placement.student_id, Group.id, Group.code, Group.course_number, Placement.subgroup_id)
        .join(Group, Group.id == Placement.group_id)
        .where(
            Placement.student_id.in_(students),
            Placement.valid_until.is_(None),
            Group.academic_year_id == year_id,
        )
    )
    return [
        OpenPlacement(
            student_id=student, group_id=group, group_code=code, course_number=course, subgroup_id=subgroup
        )
        for student, group, code, course, subgroup in rows
    ]


async def movement_groups(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Movement id -> its group, for those of the ids that exist."""
    rows = await session.execute(select(Movement.id, Movement.group_id).where(Movement.id.in_(ids)))
    return {movement: group for movement, group in rows}


async def faculty_of_groups(session: AsyncSession, groups: set[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    rows = await session.execute(
        select(Group.id, Specialty.faculty_id).join(Specialty).where(Group.id.in_(groups))
    )
    return {group: faculty for group, faculty in rows}


async def open_placements_of_groups(session: AsyncSession, groups: list[uuid.UUID]) -> list[Placement]:
    """The groups' open placements: mapped rows, which an expulsion in the same unit of work ends."""
    return list(
        await session.scalars(
            select(Placement).where(Placement.group_id.in_(groups), Placement.valid_until.is_(None))
        )
    )


async def graded_students(session: AsyncSession, students: list[str]) -> set[str]:
    """Those of the students who have a mark (gradebook's, as the inbox recorded it)."""
    rows = await session.scalars(
        select(RecordedCell.student_id).where(
            RecordedCell.student_id.in_(students), RecordedCell.kind == "mark"
        )
    )
    return set(rows)
