"""What a page needs from a second service, added to one answer so the portal makes one call.

Gradebook keeps students as ids; their names live in curriculum (the group's members, as stored).
The grid answer carries them, asked with the caller's own token: where the caller may not read the
group, the names stay empty and the ids remain.

The names are asked while the grid is read when the gateway already knows the journal's group: a
journal's group never changes, so each grid answer leaves a hint (journal -> group, subgroup; ids,
no personal data) and the next read of that journal asks curriculum at once instead of after
gradebook answers (the two services' work overlaps; docs/perf/README.md, "Grid reads"). A list of
the caller's journals leaves the same hints (the portal lists them before a grid is opened), so even a
journal's first grid read asks both services at once. The hint is
only a guess: names asked early are used only if the answer's journal has that very group and
subgroup, otherwise they are dropped and asked again; and they are dropped unread when gradebook
refuses the grid. Curriculum decides on the caller's token either way, so nobody gets names they
would not get asked afterwards.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

import grpc
from fastapi import Request

from ejournal.curriculum.v1 import curriculum_service_pb2 as curriculum
from ejournal.identity.v1 import identity_service_pb2 as identity
from services.gateway.auth import metadata

NOT_READABLE = (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)
Group = tuple[str, str]  # group id, subgroup id ("" for the whole group)
Names = dict[str, str]  # student id -> name

HINTS_KEPT = 50_000  # journals; ~150 bytes each
_group_hints: OrderedDict[str, Group] = OrderedDict()


def _remember(journal_id: str, group: Group) -> None:
    _group_hints[journal_id] = group
    _group_hints.move_to_end(journal_id)
    while len(_group_hints) > HINTS_KEPT:
        _group_hints.popitem(last=False)


async def _group_names(request: Request, group: Group, token: str | None) -> Names:
    """The group's names as the caller may read them ({} where curriculum refuses)."""
    ask = curriculum.ListGroupMembersRequest(group_id=group[0], subgroup_id=group[1])
    try:
        members = await request.app.state.clients.stub("curriculum").ListGroupMembers(
            ask, metadata=metadata(request, token)
        )
    except grpc.aio.AioRpcError as error:
        if error.code() in NOT_READABLE:
            return {}
        raise
    return {m.student_id: m.student_name for m in members.members}


class EarlyNames:
    """Names asked before the grid's answer, for the group the hint gave."""

    def __init__(self, group: Group, task: asyncio.Task[Names]) -> None:
        self.group = group
        self.task = task

    def drop(self) -> None:
        self.task.cancel()
        # A task that already failed: its error is read here, so asyncio does not log it as lost.
        self.task.add_done_callback(lambda t: t.cancelled() or t.exception())


def ask_student_names_early(request: Request, data: dict[str, Any], token: str | None) -> EarlyNames | None:
    group = _group_hints.get(str(data.get("journal_id", "")))
    if group is None:
        return None
    return EarlyNames(group, asyncio.ensure_future(_group_names(request, group, token)))


async def remember_journal_groups(request: Request, reply: Any, token: str | None) -> None:
    """A journal list's answer: each journal's group as a hint for its grid (ids only; the list is
    forwarded unchanged)."""
    for journal in reply.journals:
        if journal.journal_id and journal.group_id:
            _remember(journal.journal_id, (journal.group_id, journal.subgroup_id))


async def add_student_names(
    request: Request, reply: Any, token: str | None, early: EarlyNames | None = None
) -> None:
    journal = reply.journal
    group = (journal.group_id, journal.subgroup_id)
    if journal.journal_id and journal.group_id:
        _remember(journal.journal_id, group)
    if not reply.students or not journal.group_id:
        if early is not None:
            early.drop()
        return
    if early is not None and early.group == group:
        names = await early.task
    else:
        if early is not None:
            early.drop()
        names = await _group_names(request, group, token)
    for entry in reply.students:
        entry.student_name = names.get(entry.student_id, "")


async def add_teacher_names(request: Request, reply: Any, token: str | None) -> None:
    """A department's teaching load names its teachers: one identity read per distinct teacher (a
    department has tens), asked with the caller's own token; a person the caller may not read keeps
    an empty name."""
    teachers = sorted({load.teacher_id for load in reply.teaching_loads if load.teacher_id})
    if not teachers:
        return
    stub = request.app.state.clients.stub("identity")

    async def name_of(person_id: str) -> tuple[str, str]:
        try:
            found = await stub.GetPerson(
                identity.GetPersonRequest(person_id=person_id), metadata=metadata(request, token)
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in NOT_READABLE:
                return person_id, ""
            raise
        p = found.person
        return person_id, " ".join(part for part in (p.last_name, p.first_name, p.patronymic) if part)

    names = dict(await asyncio.gather(*(name_of(t) for t in teachers)))
    for load in reply.teaching_loads:
        load.teacher_name = names.get(load.teacher_id, "")
