"""What a page needs from a second service, added to one answer so the portal makes one call.

Gradebook keeps students as ids; their names live in curriculum (the group's members, as stored).
The grid answer carries them, asked with the caller's own token: where the caller may not read the
group, the names stay empty and the ids remain.
"""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from fastapi import Request

from ejournal.curriculum.v1 import curriculum_service_pb2 as curriculum
from ejournal.identity.v1 import identity_service_pb2 as identity
from services.gateway.auth import metadata

NOT_READABLE = (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)


async def add_student_names(request: Request, reply: Any, token: str | None) -> None:
    journal = reply.journal
    if not reply.students or not journal.group_id:
        return
    ask = curriculum.ListGroupMembersRequest(group_id=journal.group_id, subgroup_id=journal.subgroup_id)
    try:
        members = await request.app.state.clients.stub("curriculum").ListGroupMembers(
            ask, metadata=metadata(request, token)
        )
    except grpc.aio.AioRpcError as error:
        if error.code() in NOT_READABLE:
            return
        raise
    names = {m.student_id: m.student_name for m in members.members}
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
