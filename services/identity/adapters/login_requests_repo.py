"""Login requests (KZ-15/KZ-17) in identity's database."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.pagination import Page, keyset
from services.identity.adapters.tables import login_requests as t
from services.identity.domain.login_requests import LoginRequestForm, LoginRequestStatus
from services.identity.domain.people import PersonName


def name_of(row: Any) -> PersonName:
    return PersonName(row.last_name, row.first_name, row.patronymic)


async def insert(
    session: AsyncSession, form: LoginRequestForm, by: str, request_id: str | None, at: datetime
) -> str:
    row_id = uuid.uuid4()
    await session.execute(
        t.insert().values(
            id=row_id,
            request_id=request_id,
            department_id=form.department_id,
            faculty_id=form.faculty_id,
            university_id=form.university_id,
            last_name=form.name.last_name,
            first_name=form.name.first_name,
            patronymic=form.name.patronymic,
            language=form.language,
            position=form.position,
            email=form.email,
            outgoing_number=form.outgoing_number,
            profile_code=form.profile_code,
            requested_by=by,
            requested_at=at,
            status=LoginRequestStatus.SUBMITTED.value,
        )
    )
    return str(row_id)


async def get(session: AsyncSession, login_request_id: str, *, lock: bool = False) -> Row[Any] | None:
    try:
        key = uuid.UUID(login_request_id)
    except ValueError:
        return None
    query = select(t).where(t.c.id == key)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def find_by_request_id(session: AsyncSession, request_id: str) -> Row[Any] | None:
    return (await session.execute(select(t).where(t.c.request_id == request_id))).first()


async def list_rows(
    session: AsyncSession, department_id: str, status: LoginRequestStatus | None, page: Page
) -> list[Row[Any]]:
    query = keyset(select(t), page, [t.c.requested_at, t.c.id], [datetime.fromisoformat, uuid.UUID])
    if department_id:
        query = query.where(t.c.department_id == department_id)
    if status is not None:
        query = query.where(t.c.status == status.value)
    return list((await session.execute(query)).all())


async def decide(
    session: AsyncSession,
    row_id: uuid.UUID,
    status: LoginRequestStatus,
    by: str,
    at: datetime,
    reason: str,
    person_id: uuid.UUID | None,
    login: str | None,
) -> None:
    await session.execute(
        update(t)
        .where(t.c.id == row_id)
        .values(
            status=status.value,
            decided_by=by,
            decided_at=at,
            decision_reason=reason,
            person_id=person_id,
            login=login,
        )
    )
