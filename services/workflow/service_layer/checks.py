"""KG-08: the weekly checks as people see them: a teacher their own journals, a department head their
department, a dean's office their faculty, the academic department and registrar everything."""

from __future__ import annotations

from datetime import date
from typing import Any

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import Page, page_request
from services.workflow.adapters import check_store
from services.workflow.domain.actors import OVERSIGHT_ROLES, UNIVERSITY
from services.workflow.service_layer.access import actor_of
from services.workflow.service_layer.deps import Deps

DEANS_OFFICE = ("dean", "dean_curation", "dean_staff")


async def list_checks(
    deps: Deps,
    principal: Principal | None,
    week_start: str,
    teacher_id: str,
    department_id: str,
    faculty_id: str,
    page: Page | None = None,
) -> tuple[list[Any], str]:
    """One page of the checks the caller reaches (by faculty, department, journal), and the next token."""
    page = page or page_request(0, "")
    actor = actor_of(principal)
    week: date | None = None
    if week_start:
        try:
            week = date.fromisoformat(week_start)
        except ValueError:
            raise InvalidArgument("week_start", f"{week_start!r} is not a date like 2026-11-23") from None
    departments = actor.scope_ids("department_head", "department")
    faculties = tuple(f for role in DEANS_OFFICE for f in actor.scope_ids(role, "faculty"))
    # University-wide roles reach their own university's journals.
    universities = tuple(sorted({u for r in OVERSIGHT_ROLES for u in actor.scope_ids(r, UNIVERSITY)}))
    async with deps.unit_of_work() as uow:
        rows = await check_store.list_checks(
            uow.session,
            week_start=week,
            teacher_ids=(actor.person_id,),
            department_ids=departments,
            faculty_ids=faculties,
            university_ids=universities,
            teacher_id=teacher_id,
            department_id=department_id,
            faculty_id=faculty_id,
            page=page,
        )
    return page.cut(rows, key=lambda r: (r.faculty_id, r.department_id, r.journal_id))
