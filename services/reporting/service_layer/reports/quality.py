"""Education quality and academic performance at the end of a semester or a year (KG-11)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.queries_documents import unit_names
from services.reporting.adapters.queries_filling import Scope
from services.reporting.adapters.queries_results import final_results, terms_of_year
from services.reporting.domain.quality import FinalResult, QualityFigures, quality_by
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.reports.common import authorize_scope, key_name

KEYS: Mapping[str, Callable[[FinalResult], str]] = {
    "group": lambda r: r.group_id,
    "department": lambda r: r.department_id,
    "faculty": lambda r: r.faculty_id,
    "course_unit": lambda r: r.course_unit_id,
}


@dataclass(frozen=True)
class QualityRow:
    key: str
    name: str
    profile_code: str
    figures: QualityFigures


def _within(result: FinalResult, scope: Scope) -> bool:
    return all(
        not wanted or wanted == actual
        for wanted, actual in (
            (scope.faculty_id, result.faculty_id),
            (scope.department_id, result.department_id),
            (scope.group_id, result.group_id),
            (scope.course_unit_id, result.course_unit_id),
        )
    )


async def quality_report(
    deps: Deps,
    principal: Principal,
    term_id: str,
    academic_year_id: str,
    scope: Scope,
    group_by: str,
) -> tuple[list[QualityRow], int]:
    if not term_id and not academic_year_id:
        raise InvalidArgument("term_id", "a term or an academic year is required")
    scope = authorize_scope(principal, scope)
    key = KEYS.get(group_by, KEYS["group"])
    async with deps.unit_of_work() as uow:
        session = uow.session
        terms = [term_id] if term_id else await terms_of_year(session, academic_year_id)
        results, pending = await final_results(session, terms, scope.units)
        chosen = [r for r in results if _within(r, scope)]
        # Never average across scales: one row per key and profile.
        by_key = quality_by(chosen, lambda r: (key(r), r.profile_code))
        units = await unit_names(session, {k for k, _ in by_key})
    rows = [QualityRow(k, key_name(k, {}, units), profile, f) for (k, profile), f in by_key.items()]
    return rows, pending
