"""Reading the audit of one entity (a control event's deadline history, a course unit's changes)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import Page, keyset
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


async def list_audit_entries(
    deps: Deps, entity: str, entity_id: str, page: Page
) -> tuple[list[AuditEntry], str]:
    if entity not in ENTITIES:
        raise InvalidArgument("entity", f"{entity!r} is not one of: {', '.join(ENTITIES)}")
    eid = need_id(entity_id, "entity_id")
    require(caller(), "audit.read")
    async with deps.uow() as uow:
        query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == eid)
        query = keyset(query, page, [AuditEntry.at, AuditEntry.id], [datetime.fromisoformat, uuid.UUID])
        return page.cut(list(await uow.session.scalars(query)), key=lambda a: (a.at, a.id))
