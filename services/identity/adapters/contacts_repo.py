"""Contacts, notice preferences and Telegram link codes in identity's database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.errors import Conflict
from services.identity.adapters.tables import contacts, people, telegram_link_codes
from services.identity.domain.contacts import DEFAULT_TIMEZONE, PROFILE_TIMEZONES, Contacts

_PERSON = (people.c.id, people.c.email, people.c.language.label("person_language"), people.c.last_name,
           people.c.first_name, people.c.patronymic, people.c.profile_code,
           people.c.university_id)  # fmt: skip
_COLUMNS = (*_PERSON, *[c for c in contacts.c if c.name not in ("person_id", "university_id")])


def _to_contacts(r: Any) -> Contacts:
    if r.version is None:  # no record yet: the defaults, in the language the person registered in
        timezone = PROFILE_TIMEZONES.get(r.profile_code, DEFAULT_TIMEZONE)
        return Contacts(person_id=str(r.id), email=r.email, language=r.person_language, timezone=timezone)
    return Contacts(
        person_id=str(r.id),
        email=r.email,
        phone=r.phone,
        telegram_chat_id=r.telegram_chat_id,
        language=r.language,
        timezone=r.timezone,
        quiet_from_hour=r.quiet_from_hour,
        quiet_to_hour=r.quiet_to_hour,
        digest_hour=r.digest_hour,
        preferences=dict(r.preferences),
        version=r.version,
    )


def _full_name(r: Any) -> str:
    return " ".join(part for part in (r.last_name, r.first_name, r.patronymic) if part)


async def of_people(session: AsyncSession, person_ids: Sequence[str]) -> list[tuple[Contacts, str, str]]:
    """Each existing person's contacts (defaults where none were saved) with their full name and
    university."""
    ids = [uuid.UUID(i) for i in person_ids]
    rows = await session.execute(
        select(*_COLUMNS)
        .select_from(people.outerjoin(contacts, contacts.c.person_id == people.c.id))
        .where(people.c.id.in_(ids), people.c.status == "active")
        .order_by(people.c.id)
    )
    return [(_to_contacts(r), _full_name(r), r.university_id) for r in rows]


async def get(session: AsyncSession, person_id: str) -> Contacts:
    found = await of_people(session, [person_id])
    return found[0][0]


async def save(session: AsyncSession, new: Contacts, expected_version: int) -> None:
    """Write the contacts if `expected_version` is still the current one (0: none saved yet)."""
    values = {
        "phone": new.phone, "telegram_chat_id": new.telegram_chat_id, "language": new.language,
        "timezone": new.timezone, "quiet_from_hour": new.quiet_from_hour, "quiet_to_hour": new.quiet_to_hour,
        "digest_hour": new.digest_hour, "preferences": new.preferences,
    }  # fmt: skip
    pid = uuid.UUID(new.person_id)
    if expected_version == 0:
        statement = insert(contacts).values(person_id=pid, version=1, **values).on_conflict_do_nothing()
    else:
        statement = (
            update(contacts)  # type: ignore[assignment]
            .where(contacts.c.person_id == pid, contacts.c.version == expected_version)
            .values(**values, version=contacts.c.version + 1, updated_at=datetime.now().astimezone())
        )
    if (await session.execute(statement.returning(contacts.c.version))).first() is None:
        raise Conflict("the contacts were changed meanwhile; reload and retry", field="expected_version")
    await session.execute(update(people).where(people.c.id == pid).values(email=new.email))


async def add_link_code(session: AsyncSession, digest: bytes, person_id: str, expires_at: datetime) -> None:
    await session.execute(
        insert(telegram_link_codes).values(
            digest=digest, person_id=uuid.UUID(person_id), expires_at=expires_at
        )
    )


async def use_link_code(session: AsyncSession, digest: bytes, now: datetime) -> str | None:
    """The person whose unexpired, unused code this is, marking it used; None otherwise."""
    t = telegram_link_codes
    row = await session.execute(
        update(t)
        .where(t.c.digest == digest, t.c.used_at.is_(None), t.c.expires_at > now)
        .values(used_at=now)
        .returning(t.c.person_id)
    )
    person_id = row.scalar()
    return str(person_id) if person_id is not None else None
