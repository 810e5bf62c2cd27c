"""Curriculum's lists are paginated by cursor (`ListGroups`, `ListTeachingLoads`, `ListLessons`): walked
with a page size of 1 each hands out every item exactly once in its stable order, then an empty token;
filters stay with their token."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.status import field_violations
from services.curriculum.service_layer import audit, schedule, structure
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import DefineGroup
from services.curriculum.tests.integration.conftest import person, registrar
from services.curriculum.tests.integration.test_grpc_api import Tokens, api
from services.curriculum.tests.integration.test_schedule_conflicts import TEACHER, lesson, loads
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration
__all__ = ["api"]  # the gRPC server fixture


async def test_groups_walked_one_by_one_give_each_exactly_once_in_code_order(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens]
) -> None:
    stub, _ = api
    specialty = (await stub.ListGroups(pb.ListGroupsRequest(academic_year_id=world.year),
                                       metadata=bearer("registrar"))).groups[0].specialty_id  # fmt: skip
    caller = registrar(world.university)
    for code in ("ЖМ-100", "ЖМ-101а", "ЖМ-103"):
        await structure.define_group(
            deps,
            caller,
            DefineGroup(
                specialty_id=specialty,
                academic_year_id=world.year,
                course_number=1,
                code=code,
                language="kk",
                subgroup_codes=[],
            ),
        )
    seen, token, pages = [], "", 0
    while True:
        request = pb.ListGroupsRequest(academic_year_id=world.year, page_size=1, page_token=token)
        page = await stub.ListGroups(request, metadata=bearer("registrar"))
        seen += [g.code for g in page.groups]
        pages += 1
        token = page.next_page_token
        if not token:
            break
        assert pages < 10, "the walk must end"
    assert seen == sorted(["ЖМ-100", "ЖМ-101", "ЖМ-101а", "ЖМ-102", "ЖМ-103"]) and pages == 5

    first = await stub.ListGroups(
        pb.ListGroupsRequest(academic_year_id=world.year, page_size=2), metadata=bearer("registrar")
    )
    assert [g.code for g in first.groups] == ["ЖМ-100", "ЖМ-101"] and first.next_page_token
    with pytest.raises(grpc.aio.AioRpcError) as refused:  # the token was given for all courses
        token = first.next_page_token
        await stub.ListGroups(
            pb.ListGroupsRequest(academic_year_id=world.year, course_number=1, page_token=token),
            metadata=bearer("registrar"),
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in field_violations(refused.value)] == ["page_token"]


async def walk(fetch: Callable[[str], Awaitable[tuple[list[str], str]]]) -> tuple[list[str], int]:
    """Every item of a list, walked page by page with a page size of 1 (the items, the pages)."""
    seen, token, pages = [], "", 0
    while True:
        items, token = await fetch(token)
        seen += items
        pages += 1
        if not token:
            return seen, pages
        assert pages < 50, "the walk must end"


async def test_teaching_loads_and_lessons_walked_one_by_one_give_each_exactly_once(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens]
) -> None:
    caller = SYSTEM
    stub, _ = api
    w = world
    anat = await define_discipline(deps, w, by=caller)
    hist = await define_discipline(deps, w, "HIST-1", by=caller)
    caller = registrar(w.university)
    await loads(deps, (TEACHER, anat, w.group1, "", "practical"), (TEACHER, anat, w.group2, "", "lecture"),
                (TEACHER, hist, w.group1, "", "practical"), by=caller)  # fmt: skip
    for day, unit, group in (("2026-09-02", anat, w.group1), ("2026-09-03", hist, w.group1),
                             ("2026-09-03", anat, w.group1)):  # fmt: skip
        starts, ends = ("09:00", "10:40") if unit == anat else ("11:00", "12:40")
        await schedule.schedule_lesson(
            deps, caller, lesson(unit, group, date=day, starts_at=starts, ends_at=ends)
        )
    auth = bearer("registrar")

    async def loads_page(token: str) -> tuple[list[str], str]:
        request = pb.ListTeachingLoadsRequest(teacher_id=TEACHER, page_size=1, page_token=token)
        reply = await stub.ListTeachingLoads(request, metadata=auth)
        return [x.id for x in reply.teaching_loads], reply.next_page_token

    async def lessons_page(token: str) -> tuple[list[str], str]:
        request = pb.ListLessonsRequest(group_id=w.group1, from_date="2026-09-01", to_date="2026-09-30",
                                        page_size=1, page_token=token)  # fmt: skip
        reply = await stub.ListLessons(request, metadata=auth)
        return [f"{x.date} {x.starts_at}" for x in reply.lessons], reply.next_page_token

    all_loads = await stub.ListTeachingLoads(pb.ListTeachingLoadsRequest(teacher_id=TEACHER), metadata=auth)
    # each load carries its course unit's title and its group's code (a list needs no call per row)
    listed = all_loads.teaching_loads
    labels = {(x.course_unit_id, x.course_unit_title, x.group_id, x.group_code) for x in listed}
    assert all(title and code for _, title, _, code in labels)
    assert len({(unit, title) for unit, title, _, _ in labels}) == 2
    assert len({(group, code) for _, _, group, code in labels}) == 2
    walked, pages = await walk(loads_page)
    assert sorted(walked) == sorted(x.id for x in all_loads.teaching_loads) and len(set(walked)) == 3
    assert pages == 3
    walked, pages = await walk(lessons_page)
    assert walked == ["2026-09-02 09:00", "2026-09-03 09:00", "2026-09-03 11:00"] and pages == 3


async def test_an_entitys_audit_entries_walked_one_by_one_give_each_exactly_once(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens]
) -> None:
    """Issue 22: ListAuditEntries is paginated (by time, then id) like every list. Issue 13: it is read
    in the entity's university (its administrator here), so the walk needs no lifted check."""
    stub, tokens = api
    tokens.people["admin"] = person("admin-1", "administrator", "university", world.university)
    entity_id = uuid.UUID(world.group1)
    async with deps.uow() as uow:
        for n in range(4):
            await audit.record(
                uow.session, actor="registrar-1", action=f"step-{n}", entity="group", entity_id=entity_id
            )
        await uow.commit()
    whole = await stub.ListAuditEntries(
        pb.ListAuditEntriesRequest(entity="group", entity_id=str(entity_id), page_size=1000),
        metadata=bearer("admin"),
    )
    assert len(whole.entries) >= 4 and not whole.next_page_token
    seen, token, pages = [], "", 0
    while True:
        request = pb.ListAuditEntriesRequest(
            entity="group", entity_id=str(entity_id), page_size=1, page_token=token
        )
        page = await stub.ListAuditEntries(request, metadata=bearer("admin"))
        seen += list(page.entries)
        pages += 1
        token = page.next_page_token
        if not token:
            break
        assert pages < 100, "the walk must end"
    assert seen == list(whole.entries) and pages == len(whole.entries)


@pytest.mark.parametrize("entity", ["university", "faculty", "department", "group", "term", "classroom"])
async def test_the_audit_is_read_by_the_heads_of_the_entitys_university_only(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens], entity: str
) -> None:
    """Issue 13: curriculum's audit is scoped to the university of the entity: its administrator and
    registrar head read it; another university's administrator, a registrar inspector, a teacher, and
    anybody asking for an id that does not exist get the same refusal."""
    stub, tokens = api
    entity_id = {
        "university": world.university, "faculty": world.faculty, "department": world.dept_a,
        "group": world.group1, "term": world.term1, "classroom": world.room,
    }[entity]  # fmt: skip
    other = str(uuid.uuid4())
    tokens.people["admin"] = person("admin-1", "administrator", "university", world.university)
    tokens.people["head"] = person("head-1", "registrar_head", "university", world.university)
    tokens.people["stranger"] = person("admin-2", "administrator", "university", other)
    async with deps.uow() as uow:
        await audit.record(
            uow.session, actor="x", action="probe", entity=entity, entity_id=uuid.UUID(entity_id)
        )
        await uow.commit()
    for who in ("admin", "head"):
        reply = await stub.ListAuditEntries(
            pb.ListAuditEntriesRequest(entity=entity, entity_id=entity_id), metadata=bearer(who)
        )
        assert "probe" in [e.action for e in reply.entries], who
    for who, asked in [("stranger", entity_id), ("registrar", entity_id), ("teacher", entity_id),
                       ("admin", str(uuid.uuid4()))]:  # fmt: skip
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.ListAuditEntries(
                pb.ListAuditEntriesRequest(entity=entity, entity_id=asked), metadata=bearer(who)
            )
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED, (who, asked)
        assert refused.value.details() == "permission denied: audit.read"
