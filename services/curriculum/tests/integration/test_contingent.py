"""The contingent by orders, with history (KZ-15): who was in group G on date D."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists, PermissionDenied, ValidationFailed
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models import Movement, Placement
from services.curriculum.service_layer import contingent
from services.curriculum.service_layer.contingent import (
    EnrollStudent,
    ExpelStudent,
    OrderInput,
    TransferStudent,
)
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import person, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events, outbox_size
from services.curriculum.tests.integration.world import World

pytestmark = pytest.mark.integration

ENROLL = OrderInput("124-с", "2026-08-20", "2026-09-01")


def student(login: str) -> str:
    return str(person_id_for_login(login))


async def members(
    deps: Deps, group: str, on: str, subgroup: str = "", *, by: Principal
) -> list[tuple[str, str]]:
    found = await contingent.list_group_members(deps, by, group, on, subgroup)
    return [(m.student_name, m.subgroup_id or "") for m in found]


@pytest.mark.rule("KZ-15")
async def test_enroll_transfer_expel_with_history(deps: Deps, world: World) -> None:
    caller = registrar(world.university, "inspector-1")
    aigerim, nurlan = student("aigerim.seitkali"), student("nurlan.ospanov")
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=aigerim,
            group_id=world.group1,
            subgroup_id="",
            order=ENROLL,
            student_name="Әйгерім Сейітқали",
        ),
    )
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=nurlan,
            group_id=world.group1,
            subgroup_id="",
            order=ENROLL,
            student_name="Нұрлан Оспанов",
        ),
    )
    await contingent.transfer_student(
        deps,
        caller,
        TransferStudent(
            student_id=nurlan,
            to_group_id=world.group2,
            to_subgroup_id=world.subgroup_b,
            order=OrderInput("301-с", "2026-10-01", "2026-10-05"),
        ),
    )
    await contingent.expel_student(
        deps,
        caller,
        ExpelStudent(
            student_id=aigerim,
            group_id="",
            order=OrderInput("410-с", "2027-02-01", "2027-02-03"),
            reason="по собственному желанию",
        ),
    )

    assert await members(deps, world.group1, "2026-08-31", by=caller) == []
    assert await members(deps, world.group1, "2026-10-04", by=caller) == [
        ("Нұрлан Оспанов", ""),
        ("Әйгерім Сейітқали", ""),
    ]
    assert await members(deps, world.group1, "2026-10-05", by=caller) == [("Әйгерім Сейітқали", "")]
    assert await members(deps, world.group2, "2026-10-05", by=caller) == [
        ("Нұрлан Оспанов", world.subgroup_b)
    ]
    assert await members(deps, world.group2, "2026-10-05", world.subgroup_a, by=caller) == []
    assert await members(deps, world.group2, "2026-10-05", world.subgroup_b, by=caller) == [
        ("Нұрлан Оспанов", world.subgroup_b)
    ]
    assert await members(deps, world.group1, "2027-02-03", by=caller) == []

    history = await contingent.student_history(deps, caller, nurlan)
    assert [(m.kind, m.order_number, str(m.order_date)) for m in history] == [
        ("enrolled", "124-с", "2026-08-20"),
        ("transferred", "301-с", "2026-10-01"),
    ]
    assert all(m.recorded_by == "inspector-1" for m in history)
    [moved] = await outbox_events(deps, ev.StudentTransferred)
    assert (moved.from_group_id, moved.to_group_id, moved.to_subgroup_id) == (
        world.group1,
        world.group2,
        world.subgroup_b,
    )
    assert (moved.order.number, moved.order.date, moved.effective_date) == (
        "301-с",
        "2026-10-01",
        "2026-10-05",
    )
    assert len(await outbox_events(deps, ev.StudentEnrolled)) == 2
    [expelled] = await outbox_events(deps, ev.StudentExpelled)
    assert (expelled.group_id, expelled.reason) == (world.group1, "по собственному желанию")


@pytest.mark.rule("KZ-15")
async def test_a_student_in_two_groups_of_one_course_is_refused(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    aru = student("aru.bekova")
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=aru, group_id=world.group1, subgroup_id="", order=ENROLL, student_name="Ару Бекова"
        ),
    )
    before = (await count(deps, Movement), await count(deps, Placement), await outbox_size(deps))
    with pytest.raises(ValidationFailed, match="already in group ЖМ-101 of course 1"):
        await contingent.enroll_student(
            deps,
            caller,
            EnrollStudent(
                student_id=aru,
                group_id=world.group2,
                subgroup_id="",
                order=OrderInput("125-с", "2026-08-21", "2026-09-01"),
            ),
        )
    assert (await count(deps, Movement), await count(deps, Placement), await outbox_size(deps)) == before


@pytest.mark.rule("KZ-15")
async def test_the_same_order_twice_changes_nothing(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    aru = student("aru.bekova")
    first = await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=aru, group_id=world.group1, subgroup_id="", order=ENROLL, student_name="Ару Бекова"
        ),
    )
    again = await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(
            student_id=aru, group_id=world.group1, subgroup_id="", order=ENROLL, student_name="Ару Бекова"
        ),
    )
    assert again.id == first.id and await count(deps, Movement) == 1
    assert len(await outbox_events(deps, ev.StudentEnrolled)) == 1
    with pytest.raises(AlreadyExists):
        await contingent.enroll_student(
            deps,
            caller,
            EnrollStudent(student_id=aru, group_id=world.group2, subgroup_id="", order=ENROLL),
        )


@pytest.mark.rule("KZ-15")
async def test_history_is_not_rewritten(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    aru = student("aru.bekova")
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(student_id=aru, group_id=world.group1, subgroup_id="", order=ENROLL),
    )
    with pytest.raises(ValidationFailed, match="must be after 2026-09-01"):
        await contingent.transfer_student(
            deps,
            caller,
            TransferStudent(
                student_id=aru,
                to_group_id=world.group2,
                to_subgroup_id="",
                order=OrderInput("9", "2026-08-25", "2026-08-30"),
            ),
        )
    async with deps.uow() as uow:
        with pytest.raises(Exception, match=r"append-only|permission denied"):
            await uow.session.execute(update(Movement).values(order_number="forged"))


@pytest.mark.rule("KZ-15")
async def test_only_registrar_or_deans_office_moves_students(deps: Deps, world: World) -> None:
    caller = person("t-1", "teacher", "university", world.university)
    with pytest.raises(PermissionDenied):
        await contingent.enroll_student(
            deps,
            caller,
            EnrollStudent(student_id=student("x"), group_id=world.group1, subgroup_id="", order=ENROLL),
        )
    caller = person("dean-1", "dean", "faculty", world.faculty)
    await contingent.enroll_student(
        deps,
        caller,
        EnrollStudent(student_id=student("x"), group_id=world.group1, subgroup_id="", order=ENROLL),
    )
    caller = person("dean-2", "dean", "faculty", str(uuid.uuid4()))
    with pytest.raises(PermissionDenied):
        await contingent.enroll_student(
            deps,
            caller,
            EnrollStudent(student_id=student("y"), group_id=world.group1, subgroup_id="", order=ENROLL),
        )


@pytest.mark.rule("KG-02")
async def test_a_subgroup_must_belong_to_its_group(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    with pytest.raises(Exception, match="is not a subgroup of group"):
        await contingent.enroll_student(
            deps,
            caller,
            EnrollStudent(
                student_id=student("x"), group_id=world.group1, subgroup_id=world.subgroup_a, order=ENROLL
            ),
        )
