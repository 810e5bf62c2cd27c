"""Structure units publish their printable names (StructureUnitDefined), so the gradebook can seal them
into statements; an unchanged redefinition publishes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from ejournal.curriculum.v1 import events_pb2 as ev
from services.curriculum.adapters import tables
from services.curriculum.service_layer import structure
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import DefineDepartment
from services.curriculum.service_layer.structure_backfill import republish_structure
from services.curriculum.tests.integration.helpers import outbox_events
from services.curriculum.tests.integration.world import SYSTEM, World

pytestmark = pytest.mark.integration
NAMES = ev.StructureUnitDefined.DESCRIPTOR.full_name


async def test_every_structure_unit_publishes_its_name_and_parent(deps: Deps, world: World) -> None:
    units = {e.unit_id: e for e in await outbox_events(deps, ev.StructureUnitDefined)}
    university = units[world.university]
    assert (university.kind, university.time_zone, university.profile_code) == (
        "university",
        "Asia/Almaty",
        "kz-medical",
    )
    assert university.title == "Қазақ ұлттық медицина университеті" and not university.parent_id
    assert (units[world.faculty].kind, units[world.faculty].parent_id) == ("faculty", world.university)
    assert (units[world.dept_a].title, units[world.dept_a].parent_id) == ("Анатомия кафедрасы", world.faculty)
    assert (units[world.specialty].kind, units[world.specialty].parent_id) == ("specialty", world.faculty)
    group = units[world.group1]
    assert (group.kind, group.title, group.parent_id) == ("group", "ЖМ-101", world.specialty)
    assert group.defined_at


async def test_a_rename_publishes_again_and_a_repeat_does_not(deps: Deps, world: World) -> None:
    caller = SYSTEM
    before = len(await outbox_events(deps, ev.StructureUnitDefined))
    await structure.define_department(
        deps,
        caller,
        DefineDepartment(faculty_id=world.faculty, code="anatomy", title="Анатомия кафедрасы"),
    )
    assert len(await outbox_events(deps, ev.StructureUnitDefined)) == before
    await structure.define_department(
        deps,
        caller,
        DefineDepartment(faculty_id=world.faculty, code="anatomy", title="Адам анатомиясы кафедрасы"),
    )
    renamed = [e for e in await outbox_events(deps, ev.StructureUnitDefined) if e.unit_id == world.dept_a]
    assert [e.title for e in renamed] == ["Анатомия кафедрасы", "Адам анатомиясы кафедрасы"]


async def test_the_backfill_publishes_every_unit_defined_before_the_event_existed(
    deps: Deps, world: World
) -> None:
    """Units defined before StructureUnitDefined existed published nothing: the backfill publishes each
    one's current state, parents first, in one transaction."""
    async with deps.uow() as uow:  # as before the event existed: no StructureUnitDefined in the outbox
        await uow.session.execute(delete(tables.outbox).where(tables.outbox.c.event_type == NAMES))
        await uow.commit()
    counts = await republish_structure(deps)
    published = await outbox_events(deps, ev.StructureUnitDefined)
    assert counts == {"university": 1, "faculty": 1, "department": 2, "specialty": 1, "group": 2}
    assert [e.kind for e in published] == ["university", "faculty", "department", "department", "specialty",
                                           "group", "group"]  # fmt: skip
    units = {e.unit_id: e for e in published}
    assert (units[world.group1].title, units[world.group1].parent_id) == ("ЖМ-101", world.specialty)
    assert units[world.dept_a].parent_id == world.faculty
    assert units[world.university].time_zone == "Asia/Almaty"
