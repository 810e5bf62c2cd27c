"""Calendar-thematic plans' rows: who may upload for a department, and a plan's items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.models import LessonPlanItem, PlanUploader


async def uploaders_of(session: AsyncSession, department_id: uuid.UUID) -> list[uuid.UUID]:
    """The people the department appointed to upload its plans."""
    return list(
        await session.scalars(
            select(PlanUploader.person_id).where(PlanUploader.department_id == department_id)
        )
    )


async def items_of(session: AsyncSession, plan_id: uuid.UUID) -> list[LessonPlanItem]:
    """The plan's items by number (mapped rows, read inside the unit of work)."""
    return list(
        await session.scalars(
            select(LessonPlanItem).where(LessonPlanItem.plan_id == plan_id).order_by(LessonPlanItem.number)
        )
    )


async def replace_items(session: AsyncSession, plan_id: uuid.UUID, rows: Sequence[dict[str, Any]]) -> None:
    """The plan's items become exactly `rows` (a plan is uploaded whole)."""
    await session.execute(delete(LessonPlanItem).where(LessonPlanItem.plan_id == plan_id))
    if rows:
        await session.execute(insert(LessonPlanItem), list(rows))
