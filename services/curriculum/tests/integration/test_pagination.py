"""`ListGroups` is paginated by cursor: walked with a page size of 1 it hands out each of the year's
groups exactly once in code order, then an empty token; filters stay with their token."""

from __future__ import annotations

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.context import set_principal
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.status import field_violations
from services.curriculum.service_layer import structure
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.test_grpc_api import Tokens, api
from services.curriculum.tests.integration.world import World

pytestmark = pytest.mark.integration
__all__ = ["api"]  # the gRPC server fixture


async def test_groups_walked_one_by_one_give_each_exactly_once_in_code_order(
    deps: Deps, world: World, api: tuple[pb_grpc.CurriculumServiceStub, Tokens]
) -> None:
    stub, _ = api
    specialty = (await stub.ListGroups(pb.ListGroupsRequest(academic_year_id=world.year),
                                       metadata=bearer("registrar"))).groups[0].specialty_id  # fmt: skip
    set_principal(registrar(world.university))
    for code in ("ЖМ-100", "ЖМ-101а", "ЖМ-103"):
        await structure.define_group(deps, specialty, world.year, 1, code, "kk", [])
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
