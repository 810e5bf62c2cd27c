"""Reading the audit of one entity (a control event's deadline history, a course unit's changes).

The audit is read in the university the entity belongs to (policy row `audit.read`: its administrator,
registrar head or vice-rector). An entity that does not exist, or whose university cannot be told, is
refused exactly like another university's: the refusal does not reveal whether the id exists."""

from __future__ import annotations

import uuid

from ejournal_platform.authz import ResourceScope, allowed
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import InvalidArgument, PermissionDenied
from ejournal_platform.pagination import Page
from services.curriculum.adapters import audit_repo
from services.curriculum.adapters.ids import need_id
from services.curriculum.domain import records as rec
from services.curriculum.service_layer.deps import Deps

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


async def require_audit_read(uow: UnitOfWork, principal: Principal, entity: str, eid: uuid.UUID) -> None:
    """Refuse unless the caller may read the audit in every university the entity belongs to (and it
    belongs to one): a missing entity is refused like a foreign one."""
    universities = await audit_repo.universities_of(uow.session, entity, eid)
    if not universities or not all(
        allowed(principal, "audit.read", ResourceScope(university_id=str(u))) for u in universities
    ):
        raise PermissionDenied("permission denied: audit.read")


async def list_audit_entries(
    deps: Deps, principal: Principal, entity: str, entity_id: str, page: Page
) -> tuple[list[rec.AuditEntry], str]:
    if entity not in ENTITIES:
        raise InvalidArgument("entity", f"{entity!r} is not one of: {', '.join(ENTITIES)}")
    eid = need_id(entity_id, "entity_id")
    async with deps.uow() as uow:
        await require_audit_read(uow, principal, entity, eid)
        return await audit_repo.entries_page(uow.session, entity, eid, page)
