"""Classrooms and their QR secrets (KG-09): the gradebook derives rotating check-in codes from the secret,
which leaves this service only through GetClassroomSecret, never in an event or a log line."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.authz import missing_is_refused, refusal
from ejournal_platform.context import Principal
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page
from services.curriculum.adapters import structure_repo
from services.curriculum.adapters.ids import need_id, stable_id
from services.curriculum.adapters.lookups import get
from services.curriculum.adapters.models import Classroom, University
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations, text
from services.curriculum.service_layer import audit
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.deps import Deps

SECRET_BYTES = 32


@dataclass(frozen=True, kw_only=True)
class DefineClassroom:
    university_id: str
    code: str
    building: str
    capacity: int


@dataclass(frozen=True, kw_only=True)
class RotateClassroomSecret:
    classroom_id: str


async def define_classroom(deps: Deps, principal: Principal, cmd: DefineClassroom) -> rec.Classroom:
    v = Violations()
    code, building, capacity = text(cmd.code, "code", v, max_length=40), cmd.building, cmd.capacity
    if not 0 <= capacity <= 5000:
        v.add("capacity", "must be between 0 and 5000")
    uid = need_id(cmd.university_id, "university_id")
    v.raise_if_any()
    async with deps.uow() as uow:
        s = uow.session
        with missing_is_refused("structure.manage"):
            await get(s, University, uid, "university_id", "university")
        require(principal, "structure.manage", ResourceScope(university_id=str(uid)))
        room_id = stable_id("classroom", uid, code)
        row = await s.get(Classroom, room_id, with_for_update=True)
        if row is None:
            row = Classroom(
                id=room_id,
                university_id=uid,
                code=code,
                building=building.strip(),
                capacity=capacity,
                secret=secrets.token_bytes(SECRET_BYTES),
                secret_version=1,
                rotated_at=deps.clock(),
            )
            s.add(row)
            await audit.record(
                s,
                actor=principal.subject,
                action="created",
                entity="classroom",
                entity_id=room_id,
                after={"code": code, "building": building.strip(), "capacity": capacity},
            )
        elif (row.building, row.capacity) != (building.strip(), capacity):
            await audit.record(
                s,
                actor=principal.subject,
                action="changed",
                entity="classroom",
                entity_id=room_id,
                before={"building": row.building, "capacity": row.capacity},
                after={"building": building.strip(), "capacity": capacity},
            )
            row.building, row.capacity = building.strip(), capacity
        await s.flush()
        await uow.commit()
        return record(rec.Classroom, row)


async def rotate_secret(deps: Deps, principal: Principal, cmd: RotateClassroomSecret) -> rec.Classroom:
    room_id = need_id(cmd.classroom_id, "classroom_id")
    async with deps.uow() as uow:
        s = uow.session
        row = await s.get(Classroom, room_id, with_for_update=True)
        if row is None:  # refused like another university's classroom (issue 13)
            raise refusal("structure.manage")
        require(principal, "structure.manage", ResourceScope(university_id=str(row.university_id)))
        row.secret, row.secret_version, row.rotated_at = (
            secrets.token_bytes(SECRET_BYTES),
            row.secret_version + 1,
            deps.clock(),
        )
        await s.flush()
        await audit.record(
            s,
            actor=principal.subject,
            action="secret_rotated",
            entity="classroom",
            entity_id=room_id,
            after={"secret_version": row.secret_version},
        )
        uow.add_event(
            Event(
                payload=ev.ClassroomSecretRotated(
                    classroom_id=str(room_id), secret_version=row.secret_version
                ),
                subject=f"classroom/{room_id}",
            )
        )
        await uow.commit()
        return record(rec.Classroom, row)


async def get_secret(deps: Deps, principal: Principal, classroom_id: str) -> rec.Classroom:
    room_id = need_id(classroom_id, "classroom_id")
    async with deps.uow() as uow:
        row = await uow.session.get(Classroom, room_id)
        if row is None:  # refused like another university's classroom (issue 13)
            raise refusal("classroom.secret.read")
        require(principal, "classroom.secret.read", ResourceScope(university_id=str(row.university_id)))
        return record(rec.Classroom, row)


async def list_classrooms(
    deps: Deps, principal: Principal, university_id: str, page: Page
) -> tuple[list[rec.Classroom], str]:
    uid = need_id(university_id, "university_id")
    require(principal, "structure.read")
    async with deps.uow() as uow:
        return await structure_repo.classrooms_page(uow.session, uid, page)
