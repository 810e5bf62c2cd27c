"""What the gateway adds to one answer from a second service: a department's teaching load names its
teachers from identity, one read per distinct teacher, asked with the caller's own token; a person
the caller may not read keeps an empty name (no refusal of the whole list). A grid's students' names:
asked early when the journal's group is known from an earlier answer, and used only for that group."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

import grpc
import pytest

from ejournal.curriculum.v1 import curriculum_service_pb2 as curriculum
from ejournal.identity.v1 import identity_service_pb2 as identity
from services.gateway import enrich
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


class FakeCurriculum:
    """Answers a group's members; a group named "closed" is refused, as curriculum refuses strangers."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str | None]] = []

    async def ListGroupMembers(self, request: curriculum.ListGroupMembersRequest, metadata: Any) -> Any:
        self.asked.append((request.group_id, request.subgroup_id, dict(metadata).get("authorization")))
        if request.group_id == "closed":
            empty = grpc.aio.Metadata()
            raise grpc.aio.AioRpcError(grpc.StatusCode.PERMISSION_DENIED, empty, empty)
        members = [
            curriculum.GroupMember(student_id=s, student_name=f"{request.group_id}/{request.subgroup_id}:{s}")
            for s in ("s1", "s2")
        ]
        return curriculum.ListGroupMembersResponse(members=members)


def grid_request(fake: FakeCurriculum) -> Any:
    clients = SimpleNamespace(stub=lambda name: fake if name == "curriculum" else None)
    return SimpleNamespace(
        app=SimpleNamespace(state=SimpleNamespace(clients=clients)),
        state=SimpleNamespace(request_id="r-1"),
        headers={},
    )


def grid_reply(journal_id: str, group_id: str, subgroup_id: str = "") -> Any:
    from ejournal.gradebook.v1 import gradebook_service_pb2 as gb

    return gb.GetJournalGridResponse(
        journal=gb.Journal(journal_id=journal_id, group_id=group_id, subgroup_id=subgroup_id),
        students=[gb.RosterEntry(student_id="s1"), gb.RosterEntry(student_id="s2")],
    )


async def read_grid(
    fake: FakeCurriculum, reply: Any, token: str, asked_early: bool | None = None
) -> list[str]:
    """What the gateway's grid route does around the gradebook's answer (rpc_routes.call)."""
    request = grid_request(fake)
    early = enrich.ask_student_names_early(request, {"journal_id": reply.journal.journal_id}, token)
    if asked_early is not None:
        assert (early is not None) == asked_early
    await asyncio.sleep(0)  # gradebook answers meanwhile; the early ask may run
    await enrich.add_student_names(request, reply, token, early)
    return [s.student_name for s in reply.students]


async def test_a_journal_read_before_has_its_names_asked_early_with_the_callers_token() -> None:
    fake = FakeCurriculum()
    journal = str(uuid.uuid4())
    first = await read_grid(fake, grid_reply(journal, "g1"), "token-a", asked_early=False)
    assert first == ["g1/:s1", "g1/:s2"]
    assert enrich.ask_student_names_early(grid_request(fake), {"journal_id": str(uuid.uuid4())}, "t") is None
    again = await read_grid(fake, grid_reply(journal, "g1"), "token-b", asked_early=True)
    assert again == first
    # Asked once per read, each time with that read's caller's token (curriculum decides for each).
    assert fake.asked == [("g1", "", "Bearer token-a"), ("g1", "", "Bearer token-b")]


async def test_names_asked_early_for_another_group_are_dropped_and_asked_again() -> None:
    fake = FakeCurriculum()
    journal = str(uuid.uuid4())
    await read_grid(fake, grid_reply(journal, "g1"), "token")
    # The answer says another subgroup than the hint: only its own group's names may be used.
    names = await read_grid(fake, grid_reply(journal, "g1", "sub"), "token")
    assert names == ["g1/sub:s1", "g1/sub:s2"]
    assert fake.asked[-1] == ("g1", "sub", "Bearer token")


async def test_a_refused_group_leaves_the_ids_without_names_early_or_not() -> None:
    fake = FakeCurriculum()
    journal = str(uuid.uuid4())
    assert await read_grid(fake, grid_reply(journal, "closed"), "token") == ["", ""]
    assert await read_grid(fake, grid_reply(journal, "closed"), "token") == ["", ""]
    assert len(fake.asked) == 2


async def test_early_names_of_a_refused_grid_are_dropped_unread() -> None:
    fake = FakeCurriculum()
    journal = str(uuid.uuid4())
    await read_grid(fake, grid_reply(journal, "g1"), "token")
    early = enrich.ask_student_names_early(grid_request(fake), {"journal_id": journal}, "token")
    assert early is not None
    early.drop()  # what rpc_routes does when gradebook refuses the grid
    await asyncio.sleep(0)
    assert early.task.cancelled()


async def test_a_listed_journals_first_grid_read_asks_its_names_early() -> None:
    """The portal lists the caller's journals before a grid is opened: the list's answer leaves each
    journal's group as a hint, so the first grid read asks curriculum at once; the answer still decides."""
    from ejournal.gradebook.v1 import gradebook_service_pb2 as gb

    fake = FakeCurriculum()
    listed, other, unlisted = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    journals = gb.ListMyJournalsResponse(
        journals=[
            gb.Journal(journal_id=listed, group_id="g1"),
            gb.Journal(journal_id=other, group_id="g2", subgroup_id="sub"),
        ]
    )
    await enrich.remember_journal_groups(grid_request(fake), journals, "token")
    assert fake.asked == []  # a list asks nothing itself
    names = await read_grid(fake, grid_reply(listed, "g1"), "token", asked_early=True)
    assert names == ["g1/:s1", "g1/:s2"]
    names = await read_grid(fake, grid_reply(other, "g2"), "token", asked_early=True)
    assert names == ["g2/:s1", "g2/:s2"]
    names = await read_grid(fake, grid_reply(unlisted, "g3"), "token", asked_early=False)
    assert names == ["g3/:s1", "g3/:s2"]
    # The hint for `other` named its subgroup, the answer the whole group: asked again for the group.
    token = "Bearer token"
    assert fake.asked == [("g1", "", token), ("g2", "sub", token), ("g2", "", token), ("g3", "", token)]
