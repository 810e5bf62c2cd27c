"""Which section a lesson falls in, and whether it is closed (reads for closed_sections' refusals).

A lesson belongs to the section of the first control event on or after its date (ties: current,
midterm, intermediate attestation, final attestation), as in gradebook's domain/sections.py. The last
block of an integrated discipline also counts its parent's integrated exam (KZ-02)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.models import ClosedSection, ControlEvent, CourseUnit, Subgroup
from services.curriculum.domain.vocabulary import ControlEventKind

_RANK = {kind.value: rank for rank, kind in enumerate(ControlEventKind)}


async def units_of_sections(s: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The course units whose control events cut this unit's journals into sections: the unit, and
    for the last block of an integrated discipline its parent too (the integrated exam)."""
    unit = await s.get(CourseUnit, unit_id)
    if unit is None or unit.parent_id is None:
        return [unit_id]
    last = await s.scalar(
        select(func.max(CourseUnit.position)).where(
            CourseUnit.parent_id == unit.parent_id, CourseUnit.removed_at.is_(None)
        )
    )
    return [unit_id, unit.parent_id] if unit.position == last else [unit_id]


async def section_of(
    s: AsyncSession, unit_id: uuid.UUID, group_id: uuid.UUID, subgroup_id: uuid.UUID | None, when: date
) -> ControlEvent | None:
    """The control event whose section a lesson of this unit and group on `when` belongs to."""
    units = await units_of_sections(s, unit_id)
    rows = await s.scalars(
        select(ControlEvent).where(
            ControlEvent.course_unit_id.in_(units),
            ControlEvent.group_id == group_id,
            or_(ControlEvent.subgroup_id.is_(None), ControlEvent.subgroup_id == subgroup_id),
            ControlEvent.date >= when,
        )
    )
    candidates = sorted(rows, key=lambda e: (e.date, _RANK.get(e.kind, len(_RANK)), str(e.id)))
    return candidates[0] if candidates else None


async def is_closed(s: AsyncSession, section: ControlEvent) -> bool:
    closed = await s.scalar(
        select(ClosedSection.journal_id).where(ClosedSection.control_event_id == section.id).limit(1)
    )
    return closed is not None


async def subgroup_ids(s: AsyncSession, group_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await s.scalars(select(Subgroup.id).where(Subgroup.group_id == group_id)))


async def part_ids(s: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The unit's parts (blocks of an integrated discipline, modular disciplines of a module)."""
    return list(await s.scalars(select(CourseUnit.id).where(CourseUnit.parent_id == unit_id)))
