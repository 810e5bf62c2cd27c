"""Projections of identity's events: people (names exactly as entered) and their roles in scopes
(curators of groups, parents linked to their children)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.identity.v1 import events_pb2 as ev
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.batch_consumer import Delivery
from services.reporting.service_layer.projections.registry import Projector
from services.reporting.service_layer.projections.upsert import upsert

projector = Projector("reporting-identity", stream_name("identity"), stream_subjects("identity"))


@projector.on(ev.PersonCreated)
async def person_created(session: AsyncSession, e: ev.PersonCreated, _: Delivery) -> None:
    await upsert(
        session,
        rm.person,
        {
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
        },
    )


@projector.on(ev.AccountSuspended)
async def account_suspended(session: AsyncSession, e: ev.AccountSuspended, _: Delivery) -> None:
    await session.execute(
        update(rm.person).where(rm.person.c.person_id == e.person_id).values(status=e.status)
    )


@projector.on(ev.RoleGranted)
async def role_granted(session: AsyncSession, e: ev.RoleGranted, _: Delivery) -> None:
    await upsert(
        session,
        rm.role,
        {
            "assignment_id": e.assignment_id,
            "person_id": e.person_id,
            "role": e.role,
            "scope_type": e.scope_type,
            "scope_id": e.scope_id,
            "revoked": False,
        },
        keep=("revoked",),
    )


@projector.on(ev.RoleRevoked)
async def role_revoked(session: AsyncSession, e: ev.RoleRevoked, _: Delivery) -> None:
    await upsert(
        session,
        rm.role,
        {
            "assignment_id": e.assignment_id,
            "person_id": e.person_id,
            "role": e.role,
            "scope_type": e.scope_type,
            "scope_id": e.scope_id,
            "revoked": True,
        },
    )
