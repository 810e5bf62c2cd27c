"""The registrar head's semester analysis of reopen reasons for the vice-rector (KZ-13 step 5) and the
count of reopens by department and teacher (KZ-10), with the KZ-14 measure each count calls for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from ejournal_platform.context import Principal
from services.reporting.adapters.queries_documents import names_of
from services.reporting.adapters.queries_results import reopen_cases, sanctions_and_measures
from services.reporting.domain.reopens import ReopenAnalysis, analyse
from services.reporting.service_layer.access import allow, caller_units
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.reports.common import Period


@dataclass(frozen=True)
class ReopenReport:
    analysis: ReopenAnalysis
    sanctions: list[Any]  # rm_sanction rows (KZ-13 step 7, KZ-14)
    measures: list[Any]  # rm_corrective_measure rows (KZ-13 step 6)


async def reopen_analysis(deps: Deps, principal: Principal, period: Period, faculty_id: str) -> ReopenReport:
    allow(principal, "journal.monitor", faculty_id=faculty_id)
    start = datetime.combine(period.start, time(), tzinfo=UTC)
    end = datetime.combine(period.end, time(), tzinfo=UTC)
    async with deps.unit_of_work() as uow:
        session = uow.session
        units = caller_units(principal)  # only the caller's universities (issue 18)
        cases = await reopen_cases(session, start, end, faculty_id, units)
        sanctions, measures = await sanctions_and_measures(
            session, [c.case_id for c in cases], start, end, faculty_id, units
        )
    return ReopenReport(analyse(cases, start, end, datetime.now(UTC)), sanctions, measures)


async def people_named(deps: Deps, person_ids: list[str]) -> dict[str, str]:
    """The names the analysis prints for its teachers and sanctioned people (by person id)."""
    async with deps.unit_of_work() as uow:
        return await names_of(uow.session, person_ids)
