"""What a sync import's removals read and delete (service_layer/imports/removals.py decides): the rows a
file's scope holds but the file leaves out, and what would forbid removing them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.models import (
    ClosedSection,
    ControlEvent,
    CourseUnit,
    Group,
    Lesson,
    LessonPlan,
    LessonPlanItem,
    RecordedCell,
    Subgroup,
    TeachingLoad,
)


async def _codes(
    session: AsyncSession, model: type[Group] | type[Subgroup], ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    rows = await session.execute(select(model.id, model.code).where(model.id.in_(wanted)))
    return {id_: code for id_, code in rows}


async def group_codes(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    return await _codes(session, Group, ids)


async def subgroup_codes(
    session: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    return await _codes(session, Subgroup, ids)


async def unit_codes(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(CourseUnit.id, CourseUnit.code).where(CourseUnit.id.in_(set(ids))))
    return {id_: code for id_, code in rows}


async def columns_with_cells(session: AsyncSession, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The journal columns (lessons, control events) among these where gradebook recorded a cell."""
    if not ids:
        return set()
    rows = await session.scalars(
        select(RecordedCell.lesson_id).where(RecordedCell.lesson_id.in_([str(i) for i in ids]))
    )
    return {uuid.UUID(i) for i in rows}


async def loads_left_out(
    session: AsyncSession, units: set[uuid.UUID], kept: set[uuid.UUID]
) -> list[TeachingLoad]:
    """The units' live loads other than `kept`, by id (mapped rows: a removal changes them)."""
    return list(
        await session.scalars(
            select(TeachingLoad)
            .where(
                TeachingLoad.course_unit_id.in_(units),
                TeachingLoad.removed_at.is_(None),
                TeachingLoad.id.not_in(kept),
            )
            .order_by(TeachingLoad.id)
        )
    )


async def lessons_of_loads(
    session: AsyncSession, load_ids: list[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(lesson, load) of the loads' lessons that are not cancelled."""
    rows = await session.execute(
        select(Lesson.id, Lesson.load_id).where(Lesson.load_id.in_(load_ids), Lesson.cancelled_at.is_(None))
    )
    return [(lesson, load) for lesson, load in rows if load is not None]


async def top_units_left_out(
    session: AsyncSession, year_id: uuid.UUID, specialties: set[uuid.UUID], kept: set[uuid.UUID]
) -> list[CourseUnit]:
    """The year's live top-level units of the specialties other than `kept`, by code (mapped rows)."""
    return list(
        await session.scalars(
            select(CourseUnit)
            .where(
                CourseUnit.academic_year_id == year_id,
                CourseUnit.specialty_id.in_(specialties),
                CourseUnit.parent_id.is_(None),
                CourseUnit.removed_at.is_(None),
                CourseUnit.id.not_in(kept),
            )
            .order_by(CourseUnit.code, CourseUnit.id)
        )
    )


async def family_uses(session: AsyncSession, family: list[uuid.UUID]) -> tuple[int, int]:
    """The units' live teaching loads, and their live lessons plus control events."""
    loads = await session.scalar(
        select(func.count(TeachingLoad.id)).where(
            TeachingLoad.course_unit_id.in_(family), TeachingLoad.removed_at.is_(None)
        )
    )
    lessons = await session.scalar(
        select(func.count(Lesson.id)).where(Lesson.course_unit_id.in_(family), Lesson.cancelled_at.is_(None))
    )
    control = await session.scalar(
        select(func.count(ControlEvent.id)).where(ControlEvent.course_unit_id.in_(family))
    )
    return loads or 0, (lessons or 0) + (control or 0)


async def plans_left_out(
    session: AsyncSession, units: set[uuid.UUID], kept: set[uuid.UUID]
) -> list[LessonPlan]:
    return list(
        await session.scalars(
            select(LessonPlan)
            .where(LessonPlan.course_unit_id.in_(units), LessonPlan.id.not_in(kept))
            .order_by(LessonPlan.id)
        )
    )


async def units_by_id(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, CourseUnit]:
    return {u.id: u for u in await session.scalars(select(CourseUnit).where(CourseUnit.id.in_(ids)))}


async def lessons_of_plan(session: AsyncSession, plan: LessonPlan) -> list[uuid.UUID]:
    """The live lessons a plan covers: its unit and lesson type, its group (any, for a plan of none) and
    exactly its subgroup (none for a whole group's plan)."""
    lessons = select(Lesson.id).where(
        Lesson.course_unit_id == plan.course_unit_id,
        Lesson.lesson_type == plan.lesson_type,
        Lesson.cancelled_at.is_(None),
    )
    if plan.group_id is not None:
        lessons = lessons.where(Lesson.group_id == plan.group_id)
    same_subgroup = (
        Lesson.subgroup_id.is_(None) if plan.subgroup_id is None else Lesson.subgroup_id == plan.subgroup_id
    )
    return list(await session.scalars(lessons.where(same_subgroup)))


async def delete_plan(session: AsyncSession, plan_id: uuid.UUID) -> None:
    await session.execute(delete(LessonPlanItem).where(LessonPlanItem.plan_id == plan_id))
    await session.execute(delete(LessonPlan).where(LessonPlan.id == plan_id))


async def control_events_left_out(
    session: AsyncSession, units: set[uuid.UUID], groups: set[uuid.UUID], kept: set[uuid.UUID]
) -> list[ControlEvent]:
    """Control events of the units and groups other than `kept`, by date, kind and id (mapped rows)."""
    return list(
        await session.scalars(
            select(ControlEvent)
            .where(
                ControlEvent.course_unit_id.in_(units),
                ControlEvent.group_id.in_(groups),
                ControlEvent.id.not_in(kept),
            )
            .order_by(ControlEvent.date, ControlEvent.kind, ControlEvent.id)
        )
    )


async def closed_among(session: AsyncSession, control_event_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of the control events whose section gradebook closed."""
    rows = await session.scalars(
        select(ClosedSection.control_event_id).where(ClosedSection.control_event_id.in_(control_event_ids))
    )
    return set(rows)


async def delete_control_event(session: AsyncSession, control_event_id: uuid.UUID) -> None:
    await session.execute(delete(ControlEvent).where(ControlEvent.id == control_event_id))
