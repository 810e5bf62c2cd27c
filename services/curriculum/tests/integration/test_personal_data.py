"""Issue 13, personal data by need: a group's member list (names) and a student's movement history go
to the student, their parent, the group's curator, the teachers of the group's journals and the dean's
office and registrar office of that faculty or university; nobody else, never across universities, and
a missing id is refused exactly like someone else's."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.context import Principal
from ejournal_platform.errors import PermissionDenied
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.service_layer import contingent, substitutions, teaching_load
from services.curriculum.service_layer.contingent import EnrollStudent, OrderInput
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.runner import get_import
from services.curriculum.service_layer.teaching_load import AssignTeachingLoad, RemoveTeachingLoad
from services.curriculum.tests.integration.conftest import person, registrar
from services.curriculum.tests.integration.helpers import deliver
from services.curriculum.tests.integration.test_imports import LOAD_HEADER, csv_bytes, run
from services.curriculum.tests.integration.test_tenancy import second_university
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration

TEACHER = str(person_id_for_login("gulnara.akhmetova"))
STUDENT = str(person_id_for_login("aigerim.seitkali"))
SUBSTITUTE = str(person_id_for_login("serik.nurlanov"))
OTHER = str(person_id_for_login("aigerim.sadykova"))


async def refusal_of(call: object) -> str:
    with pytest.raises(PermissionDenied) as refused:
        await call  # type: ignore[misc]
    return str(refused.value)


async def enrolled_and_taught(deps: Deps, world: World) -> tuple[str, str]:
    """STUDENT in group 1 by order 124-с, and TEACHER's practical teaching load of a discipline there:
    the discipline's course unit and the load's id."""
    await contingent.enroll_student(
        deps,
        registrar(world.university),
        EnrollStudent(
            student_id=STUDENT,
            group_id=world.group1,
            subgroup_id="",
            order=OrderInput("124-с", "2026-08-20", "2026-09-01"),
            student_name="Әйгерім Сейітқали",
        ),
    )
    unit = await define_discipline(deps, world, by=registrar(world.university))
    load = await teaching_load.assign_teaching_load(
        deps,
        person("head-a", "department_head", "department", world.dept_a),
        AssignTeachingLoad(
            teacher_id=TEACHER,
            course_unit_id=unit,
            group_id=world.group1,
            subgroup_id="",
            lesson_type="practical",
            hours=30,
        ),
    )
    return unit, str(load.id)


async def test_members_and_history_only_by_need(deps: Deps, world: World) -> None:
    await enrolled_and_taught(deps, world)

    entitled_to_both: dict[str, Principal] = {
        "registrar of the university": registrar(world.university),
        "dean of the faculty": person("dean-1", "dean", "faculty", world.faculty),
        "dean's office staff": person("staff-1", "dean_staff", "faculty", world.faculty),
        "curator of the group": person("curator-1", "curator", "group", world.group1),
        "teacher of the group's journal": person(TEACHER, "teacher", "department", world.dept_a),
    }
    for who, principal in entitled_to_both.items():
        caller = principal
        members = await contingent.list_group_members(deps, caller, world.group1, "2026-09-15")
        assert [m.student_name for m in members] == ["Әйгерім Сейітқали"], who
        assert [m.order_number for m in await contingent.student_history(deps, caller, STUDENT)] == [
            "124-с"
        ], who

    # The student and their parent read the history, not the group's list of names.
    for who, principal in {
        "the student": person(STUDENT, "student", "student", STUDENT),
        "the student's parent": person("parent-1", "parent", "student", STUDENT),
    }.items():
        caller = principal
        assert [m.order_number for m in await contingent.student_history(deps, caller, STUDENT)] == [
            "124-с"
        ], who
        await refusal_of(contingent.list_group_members(deps, caller, world.group1, "2026-09-15"))

    refused_both: dict[str, Principal] = {
        "registrar of another university": registrar(str(uuid.uuid4())),
        "dean of another faculty": person("dean-2", "dean", "faculty", str(uuid.uuid4())),
        "curator of another group": person("curator-2", "curator", "group", world.group2),
        "a teacher of the same department who does not teach the group": person(
            "t-2", "teacher", "department", world.dept_a
        ),
        "another student of the group": person("s-2", "student", "group", world.group1),
        "another student's parent": person("parent-2", "parent", "student", str(uuid.uuid4())),
        "the department head": person("head-a", "department_head", "department", world.dept_a),
    }
    for who, principal in refused_both.items():
        caller = principal
        real = await refusal_of(contingent.list_group_members(deps, caller, world.group1, "2026-09-15"))
        missing = await refusal_of(
            contingent.list_group_members(deps, caller, str(uuid.uuid4()), "2026-09-15")
        )
        assert real == missing, who
        real = await refusal_of(contingent.student_history(deps, caller, STUDENT))
        missing = await refusal_of(contingent.student_history(deps, caller, str(uuid.uuid4())))
        assert real == missing, who


async def test_members_are_refused_alike_for_another_universitys_group_by_subgroup_or_missing(
    deps: Deps, world: World
) -> None:
    """ListGroupMembers reads the access row and the members in one round trip and decides from the row:
    another university's registrar gets the same refusal for a real group, for each of its subgroups
    and for a missing one, and never a member; the group's own registrar reads them by subgroup too."""
    caller = registrar(world.university)
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=STUDENT,
            group_id=world.group2,
            subgroup_id=world.subgroup_a,
            order=OrderInput("124-с", "2026-08-20", "2026-09-01"),
            student_name="Әйгерім Сейітқали",
        ),
    )
    other, _ = await second_university(deps)
    stranger = registrar(other, "registrar-2")

    def members(by: Principal, group: str, subgroup: str = "") -> object:
        return contingent.list_group_members(deps, by, group, "2026-09-15", subgroup)

    missing = await refusal_of(members(stranger, str(uuid.uuid4())))
    for subgroup in ("", world.subgroup_a, world.subgroup_b, str(uuid.uuid4())):
        assert await refusal_of(members(stranger, world.group2, subgroup)) == missing, subgroup
        assert await refusal_of(members(stranger, str(uuid.uuid4()), subgroup)) == missing, subgroup

    async def names(subgroup: str = "") -> list[tuple[str, str, str]]:
        found = await contingent.list_group_members(deps, caller, world.group2, "2026-09-15", subgroup)
        return [(m.student_name, m.student_id, m.subgroup_id or "") for m in found]

    assert await names() == [("Әйгерім Сейітқали", STUDENT, world.subgroup_a)]
    assert await names(world.subgroup_a) == [("Әйгерім Сейітқали", STUDENT, world.subgroup_a)]
    assert await names(world.subgroup_b) == []


async def test_a_teacher_whose_teaching_load_is_removed_reads_the_names_no_more(
    deps: Deps, world: World
) -> None:
    """Only the teaching load in force makes a teacher an assignee of the group (issue 13)."""
    _, load_id = await enrolled_and_taught(deps, world)
    head = person("head-a", "department_head", "department", world.dept_a)
    teacher = person(TEACHER, "teacher", "department", world.dept_a)
    found = await contingent.list_group_members(deps, teacher, world.group1, "2026-09-15")
    assert [m.student_name for m in found] == ["Әйгерім Сейітқали"]
    await teaching_load.remove_teaching_load(
        deps, head, RemoveTeachingLoad(load_id=load_id, reason="another teacher takes the group")
    )
    assert "contingent.read" in await refusal_of(
        contingent.list_group_members(deps, teacher, world.group1, "2026-09-15")
    )


async def test_a_substitute_reads_the_names_of_the_groups_they_teach_while_substituting(
    deps: Deps, world: World
) -> None:
    """Issue 13: a substitute (identity's SubstitutionAppointed) reads the member list of the absent
    teacher's groups in the substituted course units, from its first day to its end, and not after."""
    unit, _ = await enrolled_and_taught(deps, world)
    today = date.today()

    def appointed(substitution: str, substitute: str, units: list[str]) -> idn.SubstitutionAppointed:
        return idn.SubstitutionAppointed(
            substitution_id=substitution, absent_teacher_id=TEACHER, substitute_id=substitute,
            department_id=world.dept_a, course_unit_ids=units,
            starts_on=(today - timedelta(days=1)).isoformat(),
            ends_on=(today + timedelta(days=5)).isoformat(),
        )  # fmt: skip

    async def names_as(who: str) -> list[str]:
        caller = person(who, "teacher", "department", world.dept_a)
        return [
            m.student_name
            for m in await contingent.list_group_members(deps, caller, world.group1, "2026-09-15")
        ]

    assert "contingent.read" in await refusal_of(names_as(SUBSTITUTE))
    await deliver(deps, substitutions.record_substitution, appointed("s-1", SUBSTITUTE, [unit]))
    assert await names_as(SUBSTITUTE) == ["Әйгерім Сейітқали"]
    # Substituting in another course unit of the absent teacher gives nothing for this group.
    await deliver(deps, substitutions.record_substitution, appointed("s-2", OTHER, [str(uuid.uuid4())]))
    assert "contingent.read" in await refusal_of(names_as(OTHER))
    # Ended yesterday: the names are gone.
    ended = idn.SubstitutionEnded(
        substitution_id="s-1", absent_teacher_id=TEACHER, substitute_id=SUBSTITUTE,
        ended_on=(today - timedelta(days=1)).isoformat(),
    )  # fmt: skip
    await deliver(deps, substitutions.record_substitution, ended)
    assert "contingent.read" in await refusal_of(names_as(SUBSTITUTE))


async def test_an_import_is_read_by_its_author_and_its_universitys_heads_only(
    deps: Deps, world: World
) -> None:
    """Issue 13: nobody reads across universities, and a missing import is refused like a foreign one."""
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    content = csv_bytes([LOAD_HEADER, ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"]])
    outcome = await run(deps, world, "teaching_load", "l.csv", content, by=caller)

    for reader in (
        registrar(world.university),  # the author
        person("admin-1", "administrator", "university", world.university),
        person("head-1", "registrar_head", "university", world.university),
    ):
        caller = reader
        assert str((await get_import(deps, caller, outcome.import_id)).id) == outcome.import_id
    refusals = []
    for reader, import_id in (
        (person("admin-2", "administrator", "university", str(uuid.uuid4())), outcome.import_id),
        (person("head-2", "registrar_head", "university", str(uuid.uuid4())), outcome.import_id),
        (person("admin-1", "administrator", "university", world.university), str(uuid.uuid4())),
        (registrar(world.university, "registrar-2"), outcome.import_id),
    ):
        caller = reader
        refusals.append(await refusal_of(get_import(deps, caller, import_id)))
    assert set(refusals) == {"permission denied: curriculum.manage"}
