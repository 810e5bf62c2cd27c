"""Projections of identity's events: people (names exactly as entered) and their roles in scopes
(curators of groups, parents linked to their children)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.identity.v1 import events_pb2 as ev
from ejournal_platform.batch_consumer import Delivery
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.projection_writes import set_columns
from services.reporting.service_layer.projections.registry import Projector, Upsert

projector = Projector("reporting-identity", stream_name("identity"), stream_subjects("identity"))
Row = Mapping[str, Any]
PERSON = Upsert(
    rm.person,
    (
        "person_id",
        "login",
        "full_name",
        "last_name",
        "first_name",
        "patronymic",
        "category",
        "faculty_id",
        "department_id",
        "group_id",
        "profile_code",
        "status",
        "university_id",
    ),
)
ROLE = ("assignment_id", "person_id", "role", "scope_type", "scope_id", "revoked")
ROLE_GRANTED = Upsert(rm.role, ROLE, keep=("revoked",))  # a revocation that came first stays
ROLE_REVOKED = Upsert(rm.role, ROLE)


@projector.rows(ev.PersonCreated, PERSON)
def person_created(e: ev.PersonCreated, _: Delivery) -> Row:
    return {
        "person_id": e.person_id,
        "login": e.login,
        "full_name": e.full_name or " ".join(p for p in (e.last_name, e.first_name, e.patronymic) if p),
        "last_name": e.last_name,
        "first_name": e.first_name,
        "patronymic": e.patronymic,
        "category": e.category,
        "faculty_id": e.faculty_id,
        "department_id": e.department_id,
        "group_id": e.group_id,
        "profile_code": e.profile_code,
        "status": "active",
        "university_id": e.university_id or None,
    }


@projector.on(ev.AccountSuspended)
async def account_suspended(session: AsyncSession, e: ev.AccountSuspended, _: Delivery) -> None:
    await set_columns(session, rm.person, {"person_id": e.person_id}, status=e.status)


@projector.rows(ev.RoleGranted, ROLE_GRANTED)
def role_granted(e: ev.RoleGranted, _: Delivery) -> Row:
    return {
        "assignment_id": e.assignment_id,
        "person_id": e.person_id,
        "role": e.role,
        "scope_type": e.scope_type,
        "scope_id": e.scope_id,
        "revoked": False,
    }


@projector.rows(ev.RoleRevoked, ROLE_REVOKED)
def role_revoked(e: ev.RoleRevoked, _: Delivery) -> Row:
    return {
        "assignment_id": e.assignment_id,
        "person_id": e.person_id,
        "role": e.role,
        "scope_type": e.scope_type,
        "scope_id": e.scope_id,
        "revoked": True,
    }
