"""Reading the audit of one entity (a control event's deadline history, a course unit's changes)."""

from __future__ import annotations

from sqlalchemy import select

from ejournal_platform.errors import InvalidArgument
from services.curriculum.adapters.ids import need_id
from services.curriculum.adapters.models import AuditEntry
from services.curriculum.service_layer.authorization import require
from services.curriculum.service_layer.deps import Deps, caller

ENTITIES = (
    "university",
    "faculty",
    "department",
    "specialty",
    "group",
    "subgroup",
    "classroom",
    "academic_year",
    "term",
    "control_event",
    "course_unit",
    "teaching_load",
    "plan_uploader",
    "lesson_plan",
    "lesson",
)


async def list_audit_entries(deps: Deps, entity: str, entity_id: str) -> list[AuditEntry]:
    if entity not in ENTITIES:
        raise InvalidArgument("entity", f"{entity!r} is not one of: {', '.join(ENTITIES)}")
    eid = need_id(entity_id, "entity_id")
    require(caller(), "audit.read")
    async with deps.uow() as uow:
        rows = await uow.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == eid)
            .order_by(AuditEntry.at)
        )
        return list(rows)
