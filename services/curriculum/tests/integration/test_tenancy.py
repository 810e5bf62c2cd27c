"""Issue 18: every row of a university carries it, filled by the database on every insert path, and a
list a person reaches reads only their universities (ListGroups: a second university's year asked for
by the first one's registrar lists nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.client import bearer
from services.curriculum.adapters.ids import stable_id
from services.curriculum.service_layer import calendar, structure
from services.curriculum.service_layer.authorization import setup_principal
from services.curriculum.service_layer.calendar import DefineAcademicYear
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import (
    DefineFaculty,
    DefineGroup,
    DefineSpecialty,
    DefineUniversity,
)
from services.curriculum.tests.integration.conftest import SYSTEM, person, registrar
from services.curriculum.tests.integration.test_grpc_api import Tokens, api
from services.curriculum.tests.integration.world import World, define_discipline

pytestmark = pytest.mark.integration
__all__ = ["api"]  # the gRPC server fixture

# Tables the world fills, each through its own use case (ORM adds, Core inserts, bulk hours).
FILLED = ("departments", "specialties", "terms", "groups", "subgroups", "course_units", "course_unit_hours",
          "audit_log")  # fmt: skip


async def test_every_row_the_use_cases_insert_carries_its_university(
    deps: Deps, world: World, engine: AsyncEngine
) -> None:
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    async with engine.connect() as conn:
        for table in FILLED:
            found = (await conn.execute(text(f"SELECT DISTINCT university_id::text FROM {table}"))).scalars()
            assert list(found) == [world.university], table


async def second_university(deps: Deps) -> tuple[str, str]:
    """Another university with a year and a group of its own; its id and its year's."""
    by = setup_principal(str(stable_id("university", "kgu")))
    uni = await structure.define_university(
        deps,
        by,
        DefineUniversity(
            code="kgu", title="Кыргыз улуттук университети", profile_code="kg-jasu", time_zone="Asia/Bishkek"
        ),
    )
    fac = await structure.define_faculty(
        deps,
        by,
        DefineFaculty(university_id=str(uni.id), code="physmath", title="Физика-математика факультети"),
    )
    spec = await structure.define_specialty(
        deps, by, DefineSpecialty(faculty_id=str(fac.id), code="550100", title="Математика")
    )
    year = await calendar.define_academic_year(
        deps,
        by,
        DefineAcademicYear(
            university_id=str(uni.id),
            code="2026-2027",
            starts_on="2026-09-01",
            ends_on="2027-06-30",
            terms=[calendar.TermInput(1, "2026-09-01", "2026-12-31")],
        ),
    )
    await structure.define_group(
        deps,
        by,
        DefineGroup(
            specialty_id=str(spec.id),
            academic_year_id=str(year.year.id),
            course_number=1,
            code="МАТ-1-26",
            language="ky",
            subgroup_codes=[],
        ),
    )
    return str(uni.id), str(year.year.id)


async def test_groups_are_listed_only_within_the_callers_university(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens]
) -> None:
    stub, tokens = api
    other, other_year = await second_university(deps)
    tokens.people["other-registrar"] = registrar(other, "registrar-2")

    async def codes(token: str, year: str) -> list[str]:
        reply = await stub.ListGroups(pb.ListGroupsRequest(academic_year_id=year), metadata=bearer(token))
        return [g.code for g in reply.groups]

    assert await codes("other-registrar", other_year) == ["МАТ-1-26"]
    assert await codes("registrar", other_year) == []  # another university's year: nothing of it
    assert await codes("other-registrar", world.year) == []
    assert await codes("registrar", world.year) == ["ЖМ-101", "ЖМ-102"]
    # A grant on a department places its holder in the department's university.
    assert await codes("teacher", world.year) == ["ЖМ-101", "ЖМ-102"]
    assert await codes("teacher", other_year) == []
    # A service reads every university's (the gradebook resolving a group).
    assert await codes("gradebook", other_year) == ["МАТ-1-26"]
    tokens.people["curator"] = person("c-1", "curator", "group", world.group1)
    assert await codes("curator", world.year) == ["ЖМ-101", "ЖМ-102"]
    assert await codes("curator", other_year) == []
