"""What the gateway adds to one answer from a second service: a department's teaching load names its
teachers from identity, one read per distinct teacher, asked with the caller's own token; a person
the caller may not read keeps an empty name (no refusal of the whole list)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as curriculum
from ejournal.identity.v1 import identity_service_pb2 as identity
from services.gateway.enrich import add_teacher_names

pytestmark = pytest.mark.unit


class FakeIdentity:
    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    async def GetPerson(self, request: identity.GetPersonRequest, metadata: Any) -> Any:
        self.asked.append((request.person_id, dict(metadata).get("authorization")))
        if request.person_id == "hidden":
            empty = grpc.aio.Metadata()
            raise grpc.aio.AioRpcError(grpc.StatusCode.PERMISSION_DENIED, empty, empty)
        person = identity.Person(person_id=request.person_id, last_name="Оспанов", first_name="Ерлан")
        return identity.GetPersonResponse(person=person)


async def test_teaching_loads_name_their_teachers_once_each_with_the_callers_token() -> None:
    fake = FakeIdentity()
    clients = SimpleNamespace(stub=lambda name: fake if name == "identity" else None)
    request: Any = SimpleNamespace(
        app=SimpleNamespace(state=SimpleNamespace(clients=clients)),
        state=SimpleNamespace(request_id="r-1"),
        headers={},
    )
    reply = curriculum.ListTeachingLoadsResponse(
        teaching_loads=[
            curriculum.TeachingLoad(id="1", teacher_id="t1"),
            curriculum.TeachingLoad(id="2", teacher_id="t1"),
            curriculum.TeachingLoad(id="3", teacher_id="hidden"),
        ]
    )
    await add_teacher_names(request, reply, "token-of-the-head")
    assert [x.teacher_name for x in reply.teaching_loads] == ["Оспанов Ерлан", "Оспанов Ерлан", ""]
    assert sorted(fake.asked) == [("hidden", "Bearer token-of-the-head"), ("t1", "Bearer token-of-the-head")]
