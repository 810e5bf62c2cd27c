"""The working curriculum (KZ-03) and the structure of course units (KZ-02)."""

from __future__ import annotations

import dataclasses

import pytest

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.errors import PermissionDenied, ValidationFailed
from services.curriculum.adapters.models import AuditEntry, CourseUnit
from services.curriculum.service_layer import curriculum
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import Clock, person, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events, outbox_size
from services.curriculum.tests.integration.world import SYSTEM, World, discipline, integrated, module

pytestmark = pytest.mark.integration


@pytest.mark.rule("KZ-02")
async def test_integrated_discipline_is_made_of_blocks_with_one_exam(deps: Deps, world: World) -> None:
    caller = SYSTEM
    view = await curriculum.define_course_unit(
        deps, caller, DefineCourseUnit(spec=integrated(world, blocks=3))
    )
    assert view.unit.kind == "integrated_discipline" and view.unit.has_own_exam
    assert [(p.unit.kind, p.unit.position, p.unit.has_own_exam) for p in view.parts] == [
        ("block", 1, False),
        ("block", 2, False),
        ("block", 3, False),
    ]
    published = {e.code: e for e in await outbox_events(deps, ev.CourseUnitDefined)}
    assert (
        published["ID-1"].kind == ev.COURSE_UNIT_KIND_INTEGRATED_DISCIPLINE and published["ID-1"].has_own_exam
    )
    blocks = [published[f"ID-1-B{i}"] for i in (1, 2, 3)]
    assert {b.parent_id for b in blocks} == {str(view.unit.id)}
    assert [b.is_last_part for b in blocks] == [False, False, True]  # the integrated exam follows block 3


@pytest.mark.rule("KZ-02")
async def test_module_is_made_of_modular_disciplines_each_with_an_exam(deps: Deps, world: World) -> None:
    caller = SYSTEM
    view = await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world, parts=2)))
    assert view.unit.kind == "module" and not view.unit.has_own_exam  # graded by the integrated average
    assert [(p.unit.kind, p.unit.has_own_exam) for p in view.parts] == [("modular_discipline", True)] * 2
    published = {e.code: e for e in await outbox_events(deps, ev.CourseUnitDefined)}
    assert published["MOD-1-MD2"].kind == ev.COURSE_UNIT_KIND_MODULAR_DISCIPLINE
    assert published["MOD-1-MD2"].parent_id == str(view.unit.id)


@pytest.mark.rule("KZ-02")
async def test_a_module_with_no_modular_disciplines_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    events_before = await outbox_size(deps)
    with pytest.raises(ValidationFailed, match="a module needs at least one modular discipline"):
        await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world, parts=0)))
    with pytest.raises(ValidationFailed, match="needs at least one block"):
        await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=integrated(world, blocks=0)))
    assert await count(deps, CourseUnit) == 0 and await outbox_size(deps) == events_before


async def test_an_unknown_scale_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    with pytest.raises(ValidationFailed, match="unknown scale/profile 'ects-stars'"):
        await curriculum.define_course_unit(
            deps,
            caller,
            DefineCourseUnit(spec=dataclasses.replace(discipline(world), profile_code="ects-stars")),
        )
    assert await count(deps, CourseUnit) == 0


@pytest.mark.rule("KZ-03")
async def test_redefining_the_same_unit_changes_nothing(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world)))
    before = await outbox_size(deps), await count(deps, AuditEntry)
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world)))
    assert (await outbox_size(deps), await count(deps, AuditEntry)) == before


@pytest.mark.rule("KZ-03")
async def test_curriculum_is_frozen_after_august_except_registrar_with_reason(
    deps: Deps, world: World, clock: Clock
) -> None:
    chair = person("chair-1", "curriculum_chair", "university", world.university)
    caller = chair
    await curriculum.define_course_unit(
        deps, caller, DefineCourseUnit(spec=discipline(world))
    )  # June: loading window
    clock.set("2026-07-15T09:00:00")
    with pytest.raises(ValidationFailed, match="frozen"):
        await curriculum.define_course_unit(
            deps,
            caller,
            DefineCourseUnit(spec=dataclasses.replace(discipline(world), title="Анатомия I")),
        )
    clock.set("2026-08-20T09:00:00")  # August: correction window
    corrected = await curriculum.define_course_unit(
        deps,
        caller,
        DefineCourseUnit(spec=dataclasses.replace(discipline(world), title="Анатомия I")),
    )
    assert corrected.unit.title == "Анатомия I" and corrected.unit.revision == 2
    clock.set("2026-10-01T09:00:00")
    with pytest.raises(ValidationFailed, match="only the registrar office may change it"):
        await curriculum.define_course_unit(
            deps,
            caller,
            DefineCourseUnit(spec=dataclasses.replace(discipline(world), title="Анатомия II")),
        )
    caller = registrar(world.university, "registrar-3")
    with pytest.raises(ValidationFailed, match="needs a reason"):
        await curriculum.define_course_unit(
            deps,
            caller,
            DefineCourseUnit(spec=dataclasses.replace(discipline(world), title="Анатомия II")),
        )
    changed = await curriculum.define_course_unit(
        deps,
        caller,
        DefineCourseUnit(
            spec=dataclasses.replace(discipline(world), title="Анатомия II"),
            reason="приказ № 77 от 28.09.2026",
        ),
    )
    assert changed.unit.title == "Анатомия II"
    async with deps.uow() as uow:
        from sqlalchemy import select

        entries = list(
            await uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == changed.unit.id)
                .order_by(AuditEntry.at, AuditEntry.action)
            )
        )
    assert [(e.actor_id, e.reason) for e in entries] == [
        ("chair-1", "working curriculum load"),
        ("chair-1", "working curriculum correction"),
        ("registrar-3", "приказ № 77 от 28.09.2026"),
    ]


@pytest.mark.rule("KZ-03")
async def test_teachers_and_students_do_not_change_the_curriculum(deps: Deps, world: World) -> None:
    for who in (
        person("t", "teacher", "university", world.university),
        person("s", "student", "student", "s"),
    ):
        caller = who
        with pytest.raises(PermissionDenied):
            await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=discipline(world)))


@pytest.mark.rule("KZ-03")
async def test_units_are_listed_per_year_specialty_and_course_with_their_policy(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=discipline(world)))
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=module(world)))
    listed, _ = await curriculum.list_course_units(deps, caller, world.year, world.specialty, 1)
    assert [(u.unit.code, u.unit.profile_code, len(u.parts)) for u in listed] == [
        ("ANAT-1", "kz-medical", 0),
        ("MOD-1", "kz-medical", 2),
    ]
    assert listed[0].hours == {"lecture": 30, "practical": 60}


@pytest.mark.rule("KZ-02")
async def test_dropping_a_part_removes_it_and_republishes_the_rest(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=integrated(world, blocks=3)))
    view = await curriculum.define_course_unit(
        deps, caller, DefineCourseUnit(spec=integrated(world, blocks=2))
    )
    assert [p.unit.code for p in view.parts] == ["ID-1-B1", "ID-1-B2"]
    [removed] = await outbox_events(deps, ev.CourseUnitRemoved)
    last = [e for e in await outbox_events(deps, ev.CourseUnitDefined) if e.code == "ID-1-B2"][-1]
    assert last.is_last_part and removed.course_unit_id != last.course_unit_id
