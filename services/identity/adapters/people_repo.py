"""People, their audit trail and login audit, in identity's database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, false, func, insert, literal, or_, select, tuple_, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import current_request_id
from ejournal_platform.errors import Conflict, NotFound
from ejournal_platform.pagination import Page, keyset
from services.identity.adapters.tables import login_attempts, people, person_audit
from services.identity.domain.people import (
    AccountStatus,
    NewPerson,
    Person,
    PersonCategory,
    PersonName,
    Placement,
)


def to_person(row: Row[Any] | Mapping[str, Any]) -> Person:
    r = row._mapping if isinstance(row, Row) else row
    return Person(
        id=str(r["id"]),
        login=r["login"],
        name=PersonName(r["last_name"], r["first_name"], r["patronymic"]),
        language=r["language"],
        category=PersonCategory(r["category"]),
        placement=Placement(r["university_id"], r["faculty_id"], r["department_id"], r["group_id"]),
        profile_code=r["profile_code"],
        status=AccountStatus(r["status"]),
        email=r["email"],
        personal_number=r["personal_number"] or "",
        version=r["version"],
        has_credentials=r["password_hash"] is not None,
        from_login_request=r["from_login_request"],
    )


def parse_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def insert_person(
    session: AsyncSession,
    person_id: str,
    new: NewPerson,
    *,
    created_by: str,
    request_id: str | None,
    from_login_request: bool = False,
) -> None:
    await session.execute(
        insert(people).values(
            id=uuid.UUID(person_id),
            login=new.login,
            last_name=new.name.last_name,
            first_name=new.name.first_name,
            patronymic=new.name.patronymic,
            language=new.language,
            category=new.category.value,
            university_id=new.placement.university_id,
            faculty_id=new.placement.faculty_id,
            department_id=new.placement.department_id,
            group_id=new.placement.group_id,
            email=new.email,
            personal_number=new.personal_number or None,
            profile_code=new.profile_code,
            status=AccountStatus.ACTIVE.value,
            version=1,
            from_login_request=from_login_request,
            create_request_id=request_id,
            created_by=created_by,
        )
    )


async def find_by_id(session: AsyncSession, person_id: str, *, lock: bool = False) -> Row[Any] | None:
    key = parse_id(person_id)
    if key is None:
        return None
    query = select(people).where(people.c.id == key)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


# The people columns a grant's scope type names (a registrar's faculty, an administrator's university).
_PLACED_BY = {"university": "university_id", "faculty": "faculty_id", "department": "department_id",
              "group": "group_id"}  # fmt: skip

FIND_ORDER = (people.c.last_name, people.c.first_name, people.c.login)


async def find_rows(
    session: AsyncSession,
    query: str,
    limit: int,
    within: Sequence[tuple[str, str]] | None = None,
    after: tuple[str, str, str] | None = None,
) -> list[Row[Any]]:
    """People whose login begins with `query` or whose name holds it (any case), by name then login
    (unique: a stable order), starting right after `after` when given.

    `within`: (scope type, scope id) pairs; only people placed in one of them are read, so a search
    never scans another university's people (issue 18). None: everyone (a service)."""
    c = people.c
    text = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    inside = f"%{text}%"
    matches = (
        c.login.ilike(f"{text}%", escape="\\")
        | c.last_name.ilike(inside, escape="\\")
        | c.first_name.ilike(inside, escape="\\")
        | c.patronymic.ilike(inside, escape="\\")
    )
    if within is not None:
        placed = [c[_PLACED_BY[kind]] == scope_id for kind, scope_id in within if kind in _PLACED_BY]
        matches = matches & or_(false(), *placed)
    ordered = select(people).where(matches)
    if after is not None:
        ordered = ordered.where(tuple_(*FIND_ORDER) > tuple_(*(literal(v, type_=Text) for v in after)))
    ordered = ordered.order_by(*FIND_ORDER).limit(limit)
    return list((await session.execute(ordered)).all())


async def full_names(session: AsyncSession, person_ids: Sequence[str]) -> dict[str, str]:
    """People's names as stored ("last first patronymic"), by id; unknown ids are left out."""
    keys = {key for key in (parse_id(p) for p in person_ids) if key is not None}
    if not keys:
        return {}
    c = people.c
    rows = await session.execute(select(c.id, c.last_name, c.first_name, c.patronymic).where(c.id.in_(keys)))
    return {
        str(r.id): " ".join(part for part in (r.last_name, r.first_name, r.patronymic) if part) for r in rows
    }


async def get_person(session: AsyncSession, person_id: str, *, lock: bool = False) -> Person:
    row = await find_by_id(session, person_id, lock=lock)
    if row is None:
        raise NotFound("no such person", field="person_id")
    return to_person(row)


async def find_by_login(session: AsyncSession, login: str, *, lock: bool = False) -> Row[Any] | None:
    query = select(people).where(people.c.login == login)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def ids_by_login(session: AsyncSession, logins: Sequence[str]) -> dict[str, str]:
    rows = await session.execute(select(people.c.login, people.c.id).where(people.c.login.in_(logins)))
    return {login: str(person_id) for login, person_id in rows}


async def find_by_request_id(session: AsyncSession, request_id: str) -> Row[Any] | None:
    return (await session.execute(select(people).where(people.c.create_request_id == request_id))).first()


async def find_conflicts(session: AsyncSession, login: str, personal_number: str) -> list[tuple[str, str]]:
    problems = []
    if (await session.execute(select(people.c.id).where(people.c.login == login))).first():
        problems.append(("login", f"{login!r} is taken: logins are personal, one per person"))
    if (
        personal_number
        and (
            await session.execute(select(people.c.id).where(people.c.personal_number == personal_number))
        ).first()
    ):
        problems.append(("personal_number", "this person already has an account (one account per person)"))
    return problems


async def update_person(
    session: AsyncSession, person_id: str, expected_version: int, values: Mapping[str, Any]
) -> None:
    result = await session.execute(
        update(people)
        .where(people.c.id == uuid.UUID(person_id), people.c.version == expected_version)
        .values(**values, version=people.c.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the person was changed meanwhile; reload and retry", field="expected_version")


async def set_fields(session: AsyncSession, person_id: str, values: Mapping[str, Any]) -> None:
    await session.execute(update(people).where(people.c.id == uuid.UUID(person_id)).values(**values))


async def audit(
    session: AsyncSession, person_id: str, actor_id: str, action: str, details: Mapping[str, Any]
) -> None:
    """Append one entry to the person's audit trail (never a password or its hash)."""
    await session.execute(
        insert(person_audit).values(
            person_id=uuid.UUID(person_id),
            actor_id=actor_id,
            action=action,
            details=json.loads(json.dumps(details, ensure_ascii=False, default=str)),
            request_id=current_request_id(),
        )
    )


async def history(session: AsyncSession, person_id: str, page: Page) -> Sequence[Row[Any]]:
    query = select(person_audit).where(person_audit.c.person_id == uuid.UUID(person_id))
    return (await session.execute(keyset(query, page, [person_audit.c.seq], [int]))).all()


async def record_login_attempt(
    session: AsyncSession,
    *,
    login: str,
    person_id: str | None,
    client_address: str,
    user_agent: str,
    outcome: str,
    at: datetime,
) -> None:
    await session.execute(
        insert(login_attempts).values(
            at=at,
            login=login[:200],
            person_id=uuid.UUID(person_id) if person_id else None,
            client_address=client_address[:200],
            user_agent=user_agent[:500],
            outcome=outcome,
        )
    )


async def list_login_attempts(session: AsyncSession, person_id: str, page: Page) -> Sequence[Row[Any]]:
    """Newest first."""
    query = select(login_attempts).where(login_attempts.c.person_id == uuid.UUID(person_id))
    return (await session.execute(keyset(query, page, [login_attempts.c.seq], [int], descending=True))).all()


async def unknown_login_failures(
    session: AsyncSession, login: str, since: datetime
) -> tuple[int, datetime | None]:
    """Failed attempts at a login that names nobody, since `since`: how many, and the last one's time."""
    a = login_attempts.c
    row = (
        await session.execute(
            select(func.count(), func.max(a.at)).where(
                a.login == login, a.person_id.is_(None), a.outcome == "unknown_login", a.at > since
            )
        )
    ).one()
    return int(row[0]), row[1]
