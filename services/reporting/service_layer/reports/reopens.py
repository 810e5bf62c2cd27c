"""The registrar head's semester analysis of reopen reasons for the vice-rector (KZ-13 step 5) and the
count of reopens by department and teacher (KZ-10), with the KZ-14 measure each count calls for."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.context import Principal
from services.reporting.adapters.queries_results import reopen_cases
from services.reporting.domain.reopens import ReopenAnalysis, analyse
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.reports.common import Period


async def reopen_analysis(
    sessions: async_sessionmaker[AsyncSession], principal: Principal, period: Period, faculty_id: str
) -> ReopenAnalysis:
    allow(principal, "journal.monitor", faculty_id=faculty_id)
    start = datetime.combine(period.start, time(), tzinfo=UTC)
    end = datetime.combine(period.end, time(), tzinfo=UTC)
    async with sessions() as session:
        cases = await reopen_cases(session, start, end, faculty_id)
    return analyse(cases, start, end, datetime.now(UTC))
