"""Background report jobs (service_layer/jobs.py) in reporting's operational tables: rows in the
caller's transaction; the use cases decide what a job's state becomes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters.ops_tables import report_job


async def add_queued(
    session: AsyncSession, *, job_id: str, kind: str, params: dict[str, Any], requested_by: str
) -> None:
    """A queued job, once: the same job id again (a repeated request) leaves the first row."""
    await session.execute(
        insert(report_job)
        .values(job_id=job_id, kind=kind, params=params, requested_by=requested_by, status="queued")
        .on_conflict_do_nothing()
    )


async def find(session: AsyncSession, job_id: str) -> Any:
    """The job's row without its file, or None."""
    columns = [c for c in report_job.columns if c.name != "content"]
    return (await session.execute(select(*columns).where(report_job.c.job_id == job_id))).first()


async def content_of(session: AsyncSession, job_id: str) -> bytes:
    query = select(report_job.c.content).where(report_job.c.job_id == job_id)
    content: bytes = (await session.execute(query)).scalar_one()
    return content


async def requeue_running(session: AsyncSession) -> None:
    await session.execute(update(report_job).where(report_job.c.status == "running").values(status="queued"))


async def claim_oldest_queued(session: AsyncSession) -> Any:
    """Mark the oldest queued job running and return its id and params, or None. FOR UPDATE SKIP
    LOCKED: two runners (replicas) never claim the same job."""
    chosen = (
        select(report_job.c.job_id)
        .where(report_job.c.status == "queued")
        .order_by(report_job.c.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = update(report_job).where(report_job.c.job_id == chosen).values(status="running")
    return (await session.execute(claimed.returning(report_job.c.job_id, report_job.c.params))).first()


async def set_values(session: AsyncSession, job_id: str, **values: Any) -> None:
    await session.execute(update(report_job).where(report_job.c.job_id == job_id).values(**values))
