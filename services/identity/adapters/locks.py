"""Advisory locks identity's use cases take (transaction-scoped: released at commit or rollback)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

FIRST_ADMINISTRATOR_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('ejournal.first_administrator'))")

# Signing keys are created, encrypted and rotated under one lock: replicas starting at once create one
# first key, not two.
KEY_ROTATION_LOCK = text("SELECT pg_advisory_xact_lock(:id)")
KEY_LOCK = 0x1D_E7_17


async def lock_first_administrator(session: AsyncSession) -> None:
    """Two simultaneous first-administrator runs go one after the other."""
    await session.execute(FIRST_ADMINISTRATOR_LOCK)


async def lock_signing_keys(session: AsyncSession) -> None:
    """Held while the key ring reads, creates, encrypts or rotates keys."""
    await session.execute(KEY_ROTATION_LOCK, {"id": KEY_LOCK})
