"""Reading teaching load: who teaches whom is not for everyone (`teaching_load.read` in the platform's
policy). A caller gets the loads matching the filters that they may see — oversight in its scope, a
department's teachers their department's, a teacher their own, a curator, student or parent their
group's — and a filter naming a department, course unit or group they may not see at all is refused
(PERMISSION_DENIED) rather than answered with an empty list, unless it is their own load they ask for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from ejournal_platform.authz import Role, missing_is_refused
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import Page, page_request
from services.curriculum.adapters import teaching_load_repo
from services.curriculum.adapters.ids import parse_id
from services.curriculum.adapters.lookups import (
    Place,
    course_unit_with_place,
    place_of_department,
    place_of_group,
)
from services.curriculum.domain import records as rec
from services.curriculum.service_layer.authorization import ResourceScope, allowed, require
from services.curriculum.service_layer.deps import Deps

ACTION = "teaching_load.read"


@dataclass(frozen=True)
class Viewer:
    """The caller, and the students they may act for by group (themselves, or a parent's children)."""

    principal: Principal
    student_in_group: dict[uuid.UUID, str]  # group id -> a student the caller stands for there

    @classmethod
    async def of(cls, uow: UnitOfWork, principal: Principal, today: date) -> Viewer:
        students = {
            uuid.UUID(g.scope_id)
            for g in principal.roles
            if g.role in (Role.STUDENT, Role.PARENT) and g.scope_type == "student" and _is_uuid(g.scope_id)
        }
        return cls(principal, await teaching_load_repo.groups_of_students(uow.session, students, today))

    def group_scope(self, place: Place) -> ResourceScope:
        assert place.group is not None
        scope = place.scope()
        return ResourceScope(
            university_id=scope.university_id,
            faculty_id=scope.faculty_id,
            specialty_id=scope.specialty_id,
            group_id=scope.group_id,
            student_id=self.student_in_group.get(place.group.id),
        )

    def load_scope(self, load: rec.TeachingLoad, university_id: str) -> ResourceScope:
        teacher = str(load.teacher_id)
        return ResourceScope(
            university_id=university_id,
            faculty_id=str(load.faculty_id),
            department_id=str(load.department_id),
            group_id=str(load.group_id),
            student_id=self.student_in_group.get(load.group_id),
            assignee_ids=frozenset({teacher}),
            owner_id=teacher,
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def list_teaching_loads(
    deps: Deps,
    principal: Principal,
    teacher_id: str = "",
    group_id: str = "",
    course_unit_id: str = "",
    term_id: str = "",
    department_id: str = "",
    page: Page | None = None,
) -> tuple[list[rec.TeachingLoad], str]:
    """One page of the loads the caller may see (by group, lesson type, id) and the next page's token.
    The page is cut before the per-row authorization, so a page may hold fewer than its size."""
    page = page or page_request(0, "")
    filters = {
        "teacher_id": parse_id(teacher_id, "teacher_id", required=False),
        "group_id": parse_id(group_id, "group_id", required=False),
        "course_unit_id": parse_id(course_unit_id, "course_unit_id", required=False),
        "term_id": parse_id(term_id, "term_id", required=False),
        "department_id": parse_id(department_id, "department_id", required=False),
    }
    if not any(filters.values()):
        raise InvalidArgument("teacher_id", "name a teacher, a group, a course unit, a term or a department")
    async with deps.uow() as uow:
        s = uow.session
        viewer = await Viewer.of(uow, principal, deps.clock().date())
        named: list[ResourceScope] = []
        with missing_is_refused(ACTION):
            if filters["department_id"]:
                named.append((await place_of_department(s, filters["department_id"])).scope())
            if filters["course_unit_id"]:
                named.append((await course_unit_with_place(s, filters["course_unit_id"]))[1].scope())
            if filters["group_id"]:
                named.append(viewer.group_scope(await place_of_group(s, filters["group_id"])))
        own = str(filters["teacher_id"]) == principal.subject
        if named and not own and not any(allowed(principal, ACTION, scope) for scope in named):
            require(principal, ACTION, named[0])  # refuses, and logs what was asked
        rows, next_token = await teaching_load_repo.loads_page(s, filters, page)
        university = await teaching_load_repo.universities_of_faculties(s, {r.faculty_id for r in rows})
        shown = [
            r for r in rows if allowed(principal, ACTION, viewer.load_scope(r, university[r.faculty_id]))
        ]
        return shown, next_token


@dataclass(frozen=True)
class LoadLabels:
    """Printable labels of a page of loads: course unit titles and group codes by id."""

    course_units: dict[str, str]
    groups: dict[str, str]


async def load_labels(deps: Deps, rows: list[rec.TeachingLoad]) -> LoadLabels:
    """Two reads for the whole page, so a department's list needs no call per row."""
    units = {r.course_unit_id for r in rows}
    groups = {r.group_id for r in rows}
    if not rows:
        return LoadLabels({}, {})
    async with deps.uow() as uow:
        return LoadLabels(*await teaching_load_repo.labels(uow.session, units, groups))
