"""Printable names, kept from curriculum's StructureUnitDefined and identity's PersonCreated, and sealed
into a statement when it is formed (so the record, not a client, says what the paper prints).

Each definition carries the unit's whole state; the latest `defined_at` wins, so a replayed or late
event never brings an old name back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.events import Event, ReceivedEvent
from services.gradebook.adapters import names_repo
from services.gradebook.domain.statements import Names

EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


async def _keep(session: AsyncSession, name_id: str, defined_at: str, **values: object) -> None:
    # PersonCreated has no instant: it is the person's only definition, so any time orders it.
    at = datetime.fromisoformat(defined_at) if defined_at else EPOCH
    await names_repo.keep_name(session, uuid.UUID(name_id), at, **values)


async def unit_defined(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(cur.StructureUnitDefined)
    await _keep(
        session,
        m.unit_id,
        m.defined_at,
        kind=m.kind,
        code=m.code,
        title=m.title or m.code,
        parent_id=uuid.UUID(m.parent_id) if m.parent_id else None,
        time_zone=m.time_zone,
        profile_code=m.profile_code,
    )
    return []


async def person_created(session: AsyncSession, event: ReceivedEvent) -> list[Event]:
    m = event.parse(idn.PersonCreated)
    full_name = m.full_name or " ".join(x for x in (m.last_name, m.first_name, m.patronymic) if x)
    await _keep(session, m.person_id, "", kind="person", code=m.login, title=full_name)
    return []


def _uuid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def statement_names(
    session: AsyncSession,
    *,
    group_id: str,
    department_id: str,
    faculty_id: str,
    course_unit_id: str,
    people: Iterable[str],
) -> Names:
    """The names a statement prints (see structure)."""
    names, _ = await structure(
        session,
        group_id=group_id,
        department_id=department_id,
        faculty_id=faculty_id,
        course_unit_id=course_unit_id,
        people=people,
    )
    return names


async def structure(
    session: AsyncSession,
    *,
    group_id: str,
    department_id: str,
    faculty_id: str,
    course_unit_id: str,
    people: Iterable[str] = (),
) -> tuple[Names, str]:
    """The names a statement prints and the university's id, as the gradebook knows them now: the
    group, its specialty, the faculty and university above it, the department, the discipline and
    every person. A name not yet received prints as empty rather than as an id."""
    known: dict[uuid.UUID, names_repo.Name] = {}

    async def load(ids: Iterable[uuid.UUID | None]) -> None:
        wanted = {i for i in ids if i is not None and i not in known}
        if wanted:
            for r in await names_repo.names_of(session, wanted):
                known[r.name_id] = r

    person_ids = sorted({p for p in people if p})
    group, department, faculty = _uuid(group_id), _uuid(department_id), _uuid(faculty_id)
    await load([group, department, faculty, *(_uuid(p) for p in person_ids if _is_uuid(p))])
    # group -> specialty -> faculty -> university: three steps up at most
    chain: dict[str, uuid.UUID] = {}
    cursor = group
    for _ in range(3):
        if cursor is None or cursor not in known:
            break
        parent = known[cursor].parent_id
        await load([parent])
        if parent is not None and parent in known:
            chain[known[parent].kind] = parent
        cursor = parent
    faculty = faculty or chain.get("faculty")
    await load([faculty])
    university = chain.get("university") or (known[faculty].parent_id if faculty in known else None)
    await load([university])

    def title(some: uuid.UUID | None) -> str:
        return known[some].title if some is not None and some in known else ""

    unit = await names_repo.course_unit_code_title(session, _uuid(course_unit_id))
    uni = known.get(university) if university is not None else None
    names = Names(
        university=title(university),
        faculty=title(faculty),
        department=title(department),
        specialty=title(chain.get("specialty")),
        group=title(group),
        discipline=" ".join(x for x in (unit.code, unit.title) if x) if unit is not None else "",
        people={p: title(_uuid(p)) for p in person_ids if _is_uuid(p) and title(_uuid(p))},
        time_zone=uni.time_zone if uni is not None else "",
        profile_code=uni.profile_code if uni is not None else "",
    )
    return names, str(university) if university is not None else ""


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def structure_names(names: Names, specialty_code: str = "") -> ev.StructureNames:
    return ev.StructureNames(
        university=names.university,
        faculty=names.faculty,
        department=names.department,
        specialty=names.specialty,
        group=names.group,
        discipline=names.discipline,
        specialty_code=specialty_code,
    )


async def specialty_code(session: AsyncSession, group_id: str) -> str:
    """The code of the group's specialty ("" while curriculum's structure has not reached us)."""
    group = _uuid(group_id)
    if group is None:
        return ""
    return await names_repo.specialty_code(session, group)
