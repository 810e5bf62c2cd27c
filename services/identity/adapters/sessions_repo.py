"""Login sessions (refresh-token families), refresh tokens and signing keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.adapters.tables import refresh_tokens, sessions, signing_keys


async def create_session(
    session: AsyncSession, person_id: str, expires_at: datetime, client_address: str, user_agent: str
) -> str:
    session_id = uuid.uuid4()
    await session.execute(
        insert(sessions).values(
            id=session_id,
            person_id=uuid.UUID(person_id),
            expires_at=expires_at,
            client_address=client_address[:200],
            user_agent=user_agent[:500],
        )
    )
    return str(session_id)


async def add_refresh_token(session: AsyncSession, digest: bytes, session_id: str, at: datetime) -> None:
    await session.execute(
        insert(refresh_tokens).values(digest=digest, session_id=uuid.UUID(session_id), issued_at=at)
    )


async def find_refresh_token(session: AsyncSession, digest: bytes) -> Any:
    """The token with its session, locked: two concurrent refreshes with one token cannot both win."""
    query = (
        select(
            refresh_tokens.c.digest,
            refresh_tokens.c.used_at,
            sessions.c.id.label("session_id"),
            sessions.c.person_id,
            sessions.c.expires_at,
            sessions.c.revoked_at,
        )
        .join(sessions, sessions.c.id == refresh_tokens.c.session_id)
        .where(refresh_tokens.c.digest == digest)
        .with_for_update(of=refresh_tokens)
    )
    return (await session.execute(query)).first()


async def spend_refresh_token(session: AsyncSession, digest: bytes, at: datetime) -> None:
    await session.execute(update(refresh_tokens).where(refresh_tokens.c.digest == digest).values(used_at=at))


async def revoke_session(session: AsyncSession, session_id: str, reason: str, at: datetime) -> None:
    await session.execute(
        update(sessions)
        .where(sessions.c.id == uuid.UUID(session_id), sessions.c.revoked_at.is_(None))
        .values(revoked_at=at, revoke_reason=reason)
    )


async def revoke_person_sessions(session: AsyncSession, person_id: str, reason: str, at: datetime) -> None:
    await session.execute(
        update(sessions)
        .where(sessions.c.person_id == uuid.UUID(person_id), sessions.c.revoked_at.is_(None))
        .values(revoked_at=at, revoke_reason=reason)
    )


async def session_revoked(session: AsyncSession, session_id: str) -> bool:
    try:
        key = uuid.UUID(session_id)
    except ValueError:
        return True
    row = (await session.execute(select(sessions.c.revoked_at).where(sessions.c.id == key))).first()
    return row is None or row.revoked_at is not None


async def revoked_since(session: AsyncSession, since: datetime) -> list[str]:
    rows = await session.execute(select(sessions.c.id).where(sessions.c.revoked_at >= since))
    return [str(row.id) for row in rows]


# -- signing keys ----------------------------------------------------------------------------------


async def load_keys(session: AsyncSession) -> list[Any]:
    return list((await session.execute(select(signing_keys).order_by(signing_keys.c.created_at))).all())


async def add_key(session: AsyncSession, kid: str, pem: bytes, at: datetime) -> None:
    await session.execute(insert(signing_keys).values(kid=kid, private_pem=pem, created_at=at))


async def replace_key_pem(session: AsyncSession, kid: str, pem: bytes) -> None:
    """The same key, stored in another form (a plain key encrypted)."""
    await session.execute(update(signing_keys).where(signing_keys.c.kid == kid).values(private_pem=pem))


async def retire_keys_except(session: AsyncSession, kid: str, at: datetime) -> None:
    await session.execute(
        update(signing_keys)
        .where(signing_keys.c.kid != kid, signing_keys.c.retired_at.is_(None))
        .values(retired_at=at)
    )
