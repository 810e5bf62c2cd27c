"""Teaching load (KG-02), calendar-thematic plans (KZ-17, KZ-15) and the schedule."""

from __future__ import annotations

import pytest

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.errors import FailedPrecondition, PermissionDenied, ValidationFailed
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models import Lesson, LessonPlan, TeachingLoad
from services.curriculum.service_layer import (
    curriculum,
    lesson_plans,
    schedule,
    teaching_load,
    teaching_load_queries,
)
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.lesson_plans import (
    AppointUploader,
    PlanInput,
    PlanItemInput,
    SubmitLessonPlan,
)
from services.curriculum.service_layer.schedule import ScheduleLesson
from services.curriculum.service_layer.teaching_load import AssignTeachingLoad, RemoveTeachingLoad
from services.curriculum.tests.integration.conftest import Clock, person, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events, outbox_size
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline, module

pytestmark = pytest.mark.integration

TEACHER = str(person_id_for_login("gulnara.akhmetova"))


def load(unit: str, group: str, subgroup: str = "", lesson_type: str = "practical") -> AssignTeachingLoad:
    return AssignTeachingLoad(
        teacher_id=TEACHER,
        course_unit_id=unit,
        group_id=group,
        subgroup_id=subgroup,
        lesson_type=lesson_type,
        hours=30,
    )


@pytest.mark.rule("KG-02")
async def test_a_load_per_subgroup_is_published_for_the_gradebook(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    head = person("head-a", "department_head", "department", world.dept_a)
    caller = head
    first = await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group2, world.subgroup_a))
    second = await teaching_load.assign_teaching_load(
        deps, caller, load(unit, world.group2, world.subgroup_b)
    )
    assert first.id != second.id  # subgroups are taught and graded separately: two journals
    assigned = await outbox_events(deps, ev.TeachingLoadAssigned)
    assert [(a.subgroup_id, a.lesson_type, a.teacher_id) for a in assigned] == [
        (world.subgroup_a, ev.LESSON_TYPE_PRACTICAL, TEACHER),
        (world.subgroup_b, ev.LESSON_TYPE_PRACTICAL, TEACHER),
    ]
    assert {(a.term_id, a.department_id, a.faculty_id, a.profile_code) for a in assigned} == {
        (world.term1, world.dept_a, world.faculty, "kz-medical")
    }
    again = await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group2, world.subgroup_a))
    assert again.id == first.id and len(await outbox_events(deps, ev.TeachingLoadAssigned)) == 2
    await teaching_load.remove_teaching_load(
        deps, caller, RemoveTeachingLoad(load_id=str(first.id), reason="замена преподавателя")
    )
    [removed] = await outbox_events(deps, ev.TeachingLoadRemoved)
    assert (removed.load_id, removed.subgroup_id, removed.reason) == (
        str(first.id),
        world.subgroup_a,
        "замена преподавателя",
    )
    listed, _ = await teaching_load_queries.list_teaching_loads(deps, caller, teacher_id=TEACHER)
    assert [str(x.id) for x in listed] == [str(second.id)]


@pytest.mark.rule("KG-02")
async def test_only_the_owning_department_head_or_administration_loads_teachers(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    for who in (
        person("head-b", "department_head", "department", world.dept_b),
        person("t", "teacher", "department", world.dept_a),
    ):
        caller = who
        with pytest.raises(PermissionDenied):
            await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group1))
    caller = person("admin", "administrator", "university", world.university)
    await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group1))
    assert await count(deps, TeachingLoad) == 1


@pytest.mark.rule("KG-02", "KZ-02")
async def test_loads_go_to_modular_disciplines_not_to_the_module(deps: Deps, world: World) -> None:
    caller = SYSTEM
    view = await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world)))
    with pytest.raises(ValidationFailed, match="graded by the average"):
        await teaching_load.assign_teaching_load(deps, caller, load(str(view.unit.id), world.group1))
    await teaching_load.assign_teaching_load(deps, caller, load(str(view.parts[0].unit.id), world.group1))


async def test_a_load_for_a_group_of_another_course_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    import dataclasses

    from services.curriculum.tests.integration.world import discipline

    other = await curriculum.define_course_unit(
        deps,
        caller,
        DefineCourseUnit(spec=dataclasses.replace(discipline(world, "PHYS-2"), course_number=2)),
    )
    with pytest.raises(ValidationFailed, match="does not study this course unit"):
        await teaching_load.assign_teaching_load(deps, caller, load(str(other.unit.id), world.group1))


def plan(w: World, unit: str, dates: list[str], protocol: str = "№ 1") -> PlanInput:
    items = [
        PlanItemInput(i, d, "09:00", "10:40", f"Тақырып {i}: қаңқа", 2, TEACHER, w.room)
        for i, d in enumerate(dates, start=1)
    ]
    return PlanInput(unit, "practical", w.group1, "", protocol, "2026-08-25", items)


@pytest.mark.rule("KZ-17", "KZ-15")
async def test_an_appointed_uploader_submits_an_approved_plan(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = person("head-a", "department_head", "department", world.dept_a)
    await lesson_plans.appoint_uploader(
        deps,
        caller,
        AppointUploader(
            department_id=world.dept_a, person_id=TEACHER, protocol_number="№ 1", protocol_date="2026-06-10"
        ),
    )
    caller = person(TEACHER, "teacher", "department", world.dept_a)
    view = await lesson_plans.submit_lesson_plan(
        deps,
        caller,
        SubmitLessonPlan(plan=plan(world, unit, ["2026-09-02", "2026-09-09", "2026-09-16"])),
    )
    assert view.plan.protocol_number == "№ 1" and str(view.plan.protocol_date) == "2026-08-25"
    first_item = view.items[0]
    assert (first_item.number, str(first_item.date), first_item.topic, first_item.hours) == (
        1,
        "2026-09-02",
        "Тақырып 1: қаңқа",
        2,
    )
    again = await lesson_plans.submit_lesson_plan(
        deps,
        caller,
        SubmitLessonPlan(plan=plan(world, unit, ["2026-09-02", "2026-09-09", "2026-09-16"])),
    )
    assert again.plan.revision == 1  # the same plan again changes nothing
    fetched = await lesson_plans.get_lesson_plan(deps, caller, unit, "practical", world.group1, "")
    assert len(fetched.items) == 3 and str(fetched.items[2].classroom_id) == world.room


@pytest.mark.rule("KZ-15")
async def test_a_teacher_not_appointed_cannot_upload_plans(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = person(TEACHER, "teacher", "department", world.dept_a)
    with pytest.raises(PermissionDenied):
        await lesson_plans.submit_lesson_plan(
            deps, caller, SubmitLessonPlan(plan=plan(world, unit, ["2026-09-02"]))
        )
    assert await count(deps, LessonPlan) == 0


@pytest.mark.rule("KZ-17")
async def test_a_plan_lesson_outside_its_term_or_unapproved_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    with pytest.raises(ValidationFailed) as caught:
        await lesson_plans.submit_lesson_plan(
            deps,
            caller,
            SubmitLessonPlan(plan=plan(world, unit, ["2026-09-02", "2027-01-20"], protocol="")),
        )
    fields = dict(caught.value.violations)
    assert "outside term 1" in fields["items[1].date"] and "department meeting" in fields["protocol_number"]
    assert await count(deps, LessonPlan) == 0


@pytest.mark.rule("KZ-15")
async def test_plans_are_uploaded_before_the_year_starts(deps: Deps, world: World, clock: Clock) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    clock.set("2026-09-10T09:00:00")
    caller = person("head-a", "department_head", "department", world.dept_a)
    with pytest.raises(ValidationFailed, match="before the academic year starts"):
        await lesson_plans.submit_lesson_plan(
            deps, caller, SubmitLessonPlan(plan=plan(world, unit, ["2026-09-16"]))
        )
    caller = registrar(world.university)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        await lesson_plans.submit_lesson_plan(
            deps, caller, SubmitLessonPlan(plan=plan(world, unit, ["2026-09-16"]))
        )
    assert await count(deps, LessonPlan) == 0
    await lesson_plans.submit_lesson_plan(
        deps,
        caller,
        SubmitLessonPlan(plan=plan(world, unit, ["2026-09-16"]), reason="служебная записка № 5"),
    )
    assert await count(deps, LessonPlan) == 1


def lesson(w: World, unit: str, day: str = "2026-09-02", **kw: str) -> ScheduleLesson:
    values = dict(
        course_unit_id=unit,
        group_id=w.group1,
        subgroup_id="",
        lesson_type="practical",
        date=day,
        starts_at="09:00",
        ends_at="10:40",
        classroom_id=w.room,
        teacher_id=TEACHER,
        topic="Қаңқа",
    )
    values.update(kw)
    return ScheduleLesson(**values)  # type: ignore[arg-type]


async def test_a_scheduled_lesson_becomes_a_journal_column_event(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    with pytest.raises(FailedPrecondition, match="no teaching load"):
        await schedule.schedule_lesson(deps, caller, lesson(world, unit))
    loaded = await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group1))
    row = await schedule.schedule_lesson(deps, caller, lesson(world, unit))
    [published] = await outbox_events(deps, ev.LessonScheduled)
    assert (
        published.lesson_id,
        published.load_id,
        published.date,
        published.starts_at,
        published.classroom_id,
    ) == (str(row.id), str(loaded.id), "2026-09-02", "09:00", world.room)
    await schedule.schedule_lesson(deps, caller, lesson(world, unit))
    assert len(await outbox_events(deps, ev.LessonScheduled)) == 1


async def test_a_lesson_outside_its_term_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group1))
    before = await outbox_size(deps)
    with pytest.raises(ValidationFailed, match="outside term 1"):
        await schedule.schedule_lesson(deps, caller, lesson(world, unit, "2027-02-10"))
    assert await count(deps, Lesson) == 0 and await outbox_size(deps) == before


async def test_a_classroom_is_not_booked_twice(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    other = await define_discipline(deps, world, "HIST-1", by=caller)
    caller = registrar(world.university)
    await teaching_load.assign_teaching_load(deps, caller, load(unit, world.group1))
    await teaching_load.assign_teaching_load(deps, caller, load(other, world.group1))
    await schedule.schedule_lesson(deps, caller, lesson(world, unit))
    with pytest.raises(FailedPrecondition, match="is double-booked: lesson"):
        await schedule.schedule_lesson(deps, caller, lesson(world, other, starts_at="10:00", ends_at="11:00"))
