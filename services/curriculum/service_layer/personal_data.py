"""Who may read the contingent's personal data (issue 13): a group's member list with names and a
student's movement history go only to those who need them (policy row `contingent.read`): the student,
their parent, the group's curator, the teachers of the group's journals, and the dean's office and the
registrar office of that faculty or university. Nobody reads across universities.

A refusal never tells whether the group or the student exists: a missing id is refused exactly like
someone else's."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, allowed
from ejournal_platform.context import Principal
from ejournal_platform.errors import PermissionDenied
from services.curriculum.adapters import group_access_repo
from services.curriculum.adapters.group_access_repo import GroupAccess

ACTION = "contingent.read"


def refused() -> PermissionDenied:
    return PermissionDenied(f"permission denied: {ACTION}")


async def group_scope(session: AsyncSession, group_id: uuid.UUID) -> ResourceScope | None:
    """Where the group sits, with the teachers of its journals (its teaching load) and whoever
    substitutes for one of them today as assignees; None for a group that does not exist. One
    statement (adapters/group_access_repo.py), on the session's connection."""
    found = await group_access_repo.group_access(session, group_id)
    return None if found is None else found.scope()


def require_group_members(principal: Principal, access: GroupAccess | None) -> None:
    """Refused for a group that does not exist (`access` None) exactly as for one the caller may not
    read. `access` is read with the members in one round trip (adapters/group_members_sql.py): every
    grid the portal opens comes through here."""
    if access is None or not allowed(principal, ACTION, access.scope()):
        raise refused()


async def require_student_history(
    session: AsyncSession, principal: Principal, student_id: uuid.UUID, groups: Iterable[uuid.UUID]
) -> None:
    """The student themselves and their parent by the student's id; the staff through any group the
    student has been placed in by an order."""
    own = ResourceScope(student_id=str(student_id), owner_id=str(student_id))
    if allowed(principal, ACTION, own):
        return
    for group_id in sorted(set(groups)):
        scope = await group_scope(session, group_id)
        if scope is not None and allowed(principal, ACTION, replace(scope, student_id=str(student_id))):
            return
    raise refused()
