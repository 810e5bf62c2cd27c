"""Emptying the read models for a rebuild: every projection row and the consumers' inbox entries, in
the caller's transaction. Reporting's own records (report jobs, archive and backup records) stay."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters.schema import READ_MODEL_TABLES
from services.reporting.adapters.tables import inbox


async def delete_read_models(session: AsyncSession, consumer_names: list[str]) -> int:
    """Returns how many inbox entries of these consumers were dropped."""
    # DELETE, not TRUNCATE: the service's database role holds no TRUNCATE (least privilege).
    for table in READ_MODEL_TABLES:
        await session.execute(delete(table))
    result = await session.execute(delete(inbox).where(inbox.c.consumer.in_(consumer_names)))
    return int(getattr(result, "rowcount", 0) or 0)
