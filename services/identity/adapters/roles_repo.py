"""Role assignments in identity's database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, and_, cast, exists, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import Role, ScopeType
from ejournal_platform.errors import NotFound
from services.identity.adapters.tables import people, role_assignments
from services.identity.domain.roles import NewAssignment, RoleAssignment

t = role_assignments


def to_assignment(row: Row[Any]) -> RoleAssignment:
    r = row._mapping
    return RoleAssignment(
        id=str(r["id"]),
        person_id=str(r["person_id"]),
        role=r["role"],
        scope_type=r["scope_type"],
        scope_id=r["scope_id"],
        valid_from=r["valid_from"],
        valid_until=r["valid_until"],
        revoked=r["revoked_at"] is not None,
        granted_by=r["granted_by"],
    )


async def insert_assignment(
    session: AsyncSession, person_id: str, new: NewAssignment, granted_by: str
) -> RoleAssignment:
    assignment_id = uuid.uuid4()
    await session.execute(
        insert(t).values(
            id=assignment_id,
            person_id=uuid.UUID(person_id),
            role=new.role.value,
            scope_type=new.scope_type.value,
            scope_id=new.scope_id,
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            granted_by=granted_by,
        )
    )
    return RoleAssignment(
        str(assignment_id),
        person_id,
        new.role.value,
        new.scope_type.value,
        new.scope_id,
        new.valid_from,
        new.valid_until,
        False,
        granted_by,
    )


def _valid_on(day: date) -> Any:
    return and_(
        t.c.revoked_at.is_(None),
        t.c.valid_from <= day,
        or_(t.c.valid_until.is_(None), t.c.valid_until >= day),
    )


async def find_overlapping(
    session: AsyncSession, person_id: str, new: NewAssignment
) -> RoleAssignment | None:
    """An unrevoked assignment of the same role and scope whose period overlaps the new one."""
    query = select(t).where(
        t.c.person_id == uuid.UUID(person_id),
        t.c.role == new.role.value,
        t.c.scope_type == new.scope_type.value,
        t.c.scope_id == new.scope_id,
        t.c.revoked_at.is_(None),
        or_(t.c.valid_until.is_(None), t.c.valid_until >= new.valid_from),
    )
    if new.valid_until is not None:
        query = query.where(t.c.valid_from <= new.valid_until)
    row = (await session.execute(query)).first()
    return to_assignment(row) if row else None


async def list_for_person(session: AsyncSession, person_id: str) -> list[RoleAssignment]:
    rows = (
        await session.execute(
            select(t).where(t.c.person_id == uuid.UUID(person_id)).order_by(t.c.granted_at, t.c.id)
        )
    ).all()
    return [to_assignment(row) for row in rows]


async def valid_for_person(session: AsyncSession, person_id: str, day: date) -> list[RoleAssignment]:
    rows = (
        await session.execute(select(t).where(t.c.person_id == uuid.UUID(person_id), _valid_on(day)))
    ).all()
    return [to_assignment(row) for row in rows]


async def get_assignment(session: AsyncSession, assignment_id: str, *, lock: bool = False) -> RoleAssignment:
    try:
        key = uuid.UUID(assignment_id)
    except ValueError:
        raise NotFound("no such role assignment", field="assignment_id") from None
    query = select(t).where(t.c.id == key)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound("no such role assignment", field="assignment_id")
    return to_assignment(row)


async def revoke(session: AsyncSession, assignment_id: str, by: str, reason: str, at: datetime) -> None:
    await session.execute(
        update(t)
        .where(t.c.id == uuid.UUID(assignment_id))
        .values(revoked_at=at, revoked_by=by, revoke_reason=reason)
    )


async def roles_held(
    session: AsyncSession, person_ids: Sequence[str], day: date
) -> set[tuple[str, str, str, str]]:
    """(person id, role, scope type, scope id) of every role these people hold on `day`."""
    rows = await session.execute(
        select(t.c.person_id, t.c.role, t.c.scope_type, t.c.scope_id).where(
            t.c.person_id.in_([uuid.UUID(i) for i in person_ids]), _valid_on(day)
        )
    )
    return {(str(person), role, scope_type, scope_id) for person, role, scope_type, scope_id in rows}


async def has_role_in(
    session: AsyncSession, person_id: str, role: Role, scope_type: ScopeType, scope_id: str, day: date
) -> bool:
    query = select(
        exists().where(
            t.c.person_id == uuid.UUID(person_id),
            t.c.role == role.value,
            t.c.scope_type == scope_type.value,
            t.c.scope_id == scope_id,
            _valid_on(day),
        )
    )
    return bool((await session.execute(query)).scalar())


async def ever_held(session: AsyncSession, person_id: str, role: Role) -> bool:
    query = select(exists().where(t.c.person_id == uuid.UUID(person_id), t.c.role == role.value))
    return bool((await session.execute(query)).scalar())


async def holders(
    session: AsyncSession, role: Role, scope_type: ScopeType, scope_id: str, day: date
) -> Sequence[str]:
    rows = await session.execute(
        select(t.c.person_id).where(
            t.c.role == role.value,
            t.c.scope_type == scope_type.value,
            t.c.scope_id == scope_id,
            _valid_on(day),
        )
    )
    return [str(person_id) for person_id in rows.scalars()]


async def holders_anywhere(
    session: AsyncSession, role: str, scope_type: str, scope_id: str, day: date
) -> Sequence[str]:
    """Holders of the role within the scope on `day`; an empty scope id means any scope of the type."""
    conditions = [t.c.role == role, t.c.scope_type == scope_type, _valid_on(day)]
    if scope_id:
        conditions.append(t.c.scope_id == scope_id)
    rows = await session.execute(select(t.c.person_id).where(*conditions).distinct())
    return [str(person_id) for person_id in rows.scalars()]


async def any_administrator(session: AsyncSession) -> bool:
    """Whether anyone was ever made an administrator of this installation (revoked or not)."""
    found = await session.execute(select(t.c.id).where(t.c.role == Role.ADMINISTRATOR.value).limit(1))
    return found.first() is not None


async def groups_of_children(session: AsyncSession, parent_id: str) -> list[str]:
    """The groups of the students this person is a parent of (a parent's grant names the student)."""
    child_ids = select(t.c.scope_id).where(
        t.c.person_id == uuid.UUID(parent_id), t.c.role == Role.PARENT.value,
        t.c.scope_type == ScopeType.STUDENT.value, t.c.revoked_at.is_(None),
    )  # fmt: skip
    rows = await session.execute(select(people.c.group_id).where(cast(people.c.id, Text).in_(child_ids)))
    return [group for group in rows.scalars() if group]
