"""Teaching load use cases (KG-02): teacher × course unit × group/subgroup × lesson type × term — the source
from which the gradebook creates journals and gives teachers access; published as events."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_platform.authz import missing_is_refused
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import InvalidArgument
from ejournal_regulation import get_profile
from services.curriculum.adapters.ids import need_id, parse_id, stable_id
from services.curriculum.adapters.lookups import course_unit_with_place, get, place_of_group, subgroup_of
from services.curriculum.adapters.models import CourseUnit, Group, TeachingLoad
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import audit, events
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.control_events import check_group_studies_unit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.upsert import upsert


@dataclass(frozen=True, kw_only=True)
class AssignTeachingLoad:
    teacher_id: str
    course_unit_id: str
    group_id: str
    subgroup_id: str
    lesson_type: str
    hours: int


@dataclass(frozen=True, kw_only=True)
class RemoveTeachingLoad:
    load_id: str
    reason: str  # required: the teacher loses access


def check_load_target(unit: CourseUnit, group: Group, lesson_type: str, v: Violations) -> None:
    if unit.kind == CourseUnitKind.MODULE:
        v.add(
            "course_unit_id",
            "a module is graded by the average of its modular disciplines; load those instead",
        )
    if lesson_type not in LessonType.__members__.values():
        v.add("lesson_type", f"{lesson_type!r} is not one of: {', '.join(LessonType)}")
    elif lesson_type not in get_profile(unit.profile_code).lesson_types:
        v.add("lesson_type", f"profile {unit.profile_code} has no lesson type {lesson_type}")
    try:
        check_group_studies_unit(group, unit.academic_year_id, unit.specialty_id, unit.course_number)
    except InvalidArgument as error:
        v.add("group_id", error.reason)


async def assign_teaching_load(deps: Deps, principal: Principal, cmd: AssignTeachingLoad) -> rec.TeachingLoad:
    async with deps.uow() as uow:
        load, _ = await apply_load(uow, principal, cmd)
        await uow.commit()
        return load


async def apply_load(
    uow: UnitOfWork, principal: Principal, data: AssignTeachingLoad
) -> tuple[rec.TeachingLoad, bool]:
    s = uow.session
    v = Violations()
    if not 0 <= data.hours <= 2000:
        v.add("hours", "must be between 0 and 2000")
    teacher = need_id(data.teacher_id, "teacher_id")
    unit_id, group_id = need_id(data.course_unit_id, "course_unit_id"), need_id(data.group_id, "group_id")
    subgroup_id = parse_id(data.subgroup_id, "subgroup_id", required=False)
    with missing_is_refused("teaching_load.manage"):
        unit, dept_place = await course_unit_with_place(s, unit_id)
        group_place = await place_of_group(s, group_id)
    require(principal, "teaching_load.manage", dept_place.scope())
    assert group_place.group is not None and dept_place.department is not None
    await subgroup_of(s, group_id, subgroup_id)
    check_load_target(unit, group_place.group, data.lesson_type, v)
    v.raise_if_any()
    load_id = stable_id("teaching_load", teacher, unit_id, group_id, subgroup_id, data.lesson_type)
    values = {
        "teacher_id": teacher,
        "course_unit_id": unit_id,
        "group_id": group_id,
        "subgroup_id": subgroup_id,
        "lesson_type": data.lesson_type,
        "term_id": unit.term_id,
        "department_id": unit.department_id,
        "faculty_id": dept_place.faculty.id,
        "hours": data.hours,
        "removed_at": None,
    }
    row, changed = await upsert(
        s, TeachingLoad, load_id, values, actor=principal.subject, entity="teaching_load", bump_revision=True
    )
    if not changed:
        return record(rec.TeachingLoad, row), False
    uow.add_event(events.load_assigned_event(row, unit.profile_code))
    return record(rec.TeachingLoad, row), True


async def remove_teaching_load(deps: Deps, principal: Principal, cmd: RemoveTeachingLoad) -> None:
    reason = cmd.reason
    if not reason.strip():
        raise InvalidArgument("reason", "removing a teaching load needs a reason (the teacher loses access)")
    lid = need_id(cmd.load_id, "load_id")
    async with deps.uow() as uow:
        s = uow.session
        row = await get(s, TeachingLoad, lid, "load_id", "teaching load")
        require(
            principal,
            "teaching_load.manage",
            ResourceScope(faculty_id=str(row.faculty_id), department_id=str(row.department_id)),
        )
        if row.removed_at is not None:
            return
        row.removed_at = deps.clock()
        row.revision += 1
        await s.flush()
        await audit.record(
            s, actor=principal.subject, action="removed", entity="teaching_load", entity_id=lid, reason=reason
        )
        uow.add_event(events.load_removed_event(row, reason))
        await uow.commit()
