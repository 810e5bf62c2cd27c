"""Who may see which teaching load: oversight in its scope, a department's teachers, a teacher their
own, a group's curator, students and parents their group's; a filter naming a unit the caller may not
see is refused, not answered with an empty list."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import PermissionDenied
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.service_layer import contingent, curriculum, teaching_load
from services.curriculum.service_layer.contingent import EnrollStudent, OrderInput
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.teaching_load import AssignTeachingLoad
from services.curriculum.service_layer.teaching_load_queries import list_teaching_loads
from services.curriculum.tests.integration.conftest import Clock, person, registrar
from services.curriculum.tests.integration.world import SYSTEM, World, discipline

pytestmark = pytest.mark.integration

ANATOMIST, PHYSIOLOGIST = (str(person_id_for_login(x)) for x in ("t.anatomy", "t.physiology"))
STUDENT, OTHER_STUDENT = (str(person_id_for_login(x)) for x in ("s.group1", "s.group2"))


@pytest.fixture
async def loads(deps: Deps, world: World, clock: Clock) -> dict[str, str]:
    """Anatomy (department A) taught to group 1, physiology (department B) to group 2; a student in each."""
    by = SYSTEM
    anatomy = await curriculum.define_course_unit(
        deps, by, DefineCourseUnit(spec=discipline(world, "ANAT-1"))
    )
    physiology = await curriculum.define_course_unit(
        deps,
        by,
        DefineCourseUnit(spec=dataclasses.replace(discipline(world, "PHYS-1"), department_id=world.dept_b)),
    )
    a = await teaching_load.assign_teaching_load(
        deps,
        by,
        AssignTeachingLoad(
            teacher_id=ANATOMIST,
            course_unit_id=str(anatomy.unit.id),
            group_id=world.group1,
            subgroup_id="",
            lesson_type="practical",
            hours=30,
        ),
    )
    b = await teaching_load.assign_teaching_load(
        deps,
        by,
        AssignTeachingLoad(
            teacher_id=PHYSIOLOGIST,
            course_unit_id=str(physiology.unit.id),
            group_id=world.group2,
            subgroup_id="",
            lesson_type="practical",
            hours=30,
        ),
    )
    order = OrderInput("1245-б", "2026-08-25", "2026-09-01")
    await contingent.enroll_student(
        deps,
        by,
        EnrollStudent(
            student_id=STUDENT,
            group_id=world.group1,
            subgroup_id="",
            order=order,
            student_name="Сейітқали Әсел",
        ),
    )
    await contingent.enroll_student(
        deps,
        by,
        EnrollStudent(
            student_id=OTHER_STUDENT,
            group_id=world.group2,
            subgroup_id=world.subgroup_a,
            order=order,
            student_name="Ким Алина",
        ),
    )
    clock.set("2026-10-01T09:00:00")  # the students are in their groups by now
    return {"a": str(a.id), "b": str(b.id)}


def listing(deps: Deps, filters: dict[str, str], *, by: Principal) -> Any:
    get = filters.get
    return list_teaching_loads(
        deps,
        by,
        get("teacher_id", ""),
        get("group_id", ""),
        get("course_unit_id", ""),
        get("term_id", ""),
        get("department_id", ""),
    )


async def seen(who: Principal, deps: Deps, **filters: str) -> set[str]:
    loads, _ = await listing(deps, filters, by=who)
    return {str(load.id) for load in loads}


async def refused(who: Principal, deps: Deps, **filters: str) -> None:
    with pytest.raises(PermissionDenied):
        await listing(deps, filters, by=who)


async def test_oversight_sees_its_scope(deps: Deps, world: World, loads: dict[str, str]) -> None:
    head_a = person("head-a", "department_head", "department", world.dept_a)
    assert await seen(head_a, deps, department_id=world.dept_a) == {loads["a"]}
    # Asking by teacher or term answers with what the caller may see (here: nothing of department B).
    assert await seen(head_a, deps, teacher_id=PHYSIOLOGIST) == set()
    assert await seen(head_a, deps, term_id=world.term1) == {loads["a"]}
    await refused(head_a, deps, department_id=world.dept_b)
    dean = person("dean", "dean", "faculty", world.faculty)
    assert await seen(dean, deps, term_id=world.term1) == {loads["a"], loads["b"]}
    assert await seen(registrar(world.university), deps, department_id=world.dept_b) == {loads["b"]}


@pytest.mark.rule("KG-06")
async def test_a_teacher_sees_their_own_load_and_their_departments(
    deps: Deps, world: World, loads: dict[str, str]
) -> None:
    anatomist = Principal(ANATOMIST, (RoleGrant("teacher", "department", world.dept_a),))
    assert await seen(anatomist, deps, teacher_id=ANATOMIST) == {loads["a"]}
    assert await seen(anatomist, deps, department_id=world.dept_a) == {loads["a"]}
    assert await seen(anatomist, deps, group_id=world.group2, teacher_id=ANATOMIST) == set()
    await refused(anatomist, deps, department_id=world.dept_b)
    await refused(anatomist, deps, group_id=world.group2)


@pytest.mark.rule("KG-03")
async def test_students_parents_and_curators_see_their_group_only(
    deps: Deps, world: World, loads: dict[str, str]
) -> None:
    student = Principal(STUDENT, (RoleGrant("student", "student", STUDENT),))
    parent = Principal("parent-1", (RoleGrant("parent", "student", STUDENT),))
    for who in (student, parent):
        assert await seen(who, deps, group_id=world.group1) == {loads["a"]}
        assert await seen(who, deps, teacher_id=PHYSIOLOGIST) == set()
        await refused(who, deps, group_id=world.group2)
        await refused(who, deps, department_id=world.dept_b)
        await refused(who, deps, department_id=world.dept_a)  # a whole department is not their group
    curator = person("curator-2", "curator", "group", world.group2)
    assert await seen(curator, deps, group_id=world.group2) == {loads["b"]}
    await refused(curator, deps, group_id=world.group1)
