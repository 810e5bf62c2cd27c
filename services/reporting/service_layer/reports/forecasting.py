"""Forecast of final results and failure risk per student and for the group (KG-13)."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_platform.authz import refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.queries_documents import names_of
from services.reporting.adapters.queries_forecast import student_records
from services.reporting.adapters.queries_results import journals_of
from services.reporting.domain.forecast import Forecast, GroupForecast, forecast, group_forecast
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.reports.common import today

METHOD = (
    "expected result = the profile's formulae over the marks so far (the exam taken as the admission "
    "rating); risk = logistic function of the margin over the pass mark, lessons missed and failing "
    "current marks, fitted on the demo semester (services/reporting/domain/forecast.py)"
)


@dataclass(frozen=True)
class ForecastReport:
    profile_code: str
    students: list[tuple[Forecast, str]]  # forecast, student's name
    group: GroupForecast


async def forecast_report(
    deps: Deps,
    principal: Principal,
    course_unit_id: str,
    group_id: str,
    student_id: str,
) -> ForecastReport:
    if not course_unit_id:
        raise InvalidArgument("course_unit_id", "is required")
    if not group_id:
        raise InvalidArgument("group_id", "is required")
    async with deps.unit_of_work() as uow:
        session = uow.session
        journals = await journals_of(session, course_unit_id, group_id)
        if not journals:
            # Refused with the words a foreign group's forecast gets (issue 13).
            raise refusal("journal.read" if student_id else "report.read")
        teachers = {t for j in journals for t in j.teacher_ids}
        j = journals[0]
        if student_id:
            # A student (or their parent) may see their own forecast; staff as for reports.
            allow(
                principal,
                "journal.read",
                faculty_id=j.faculty_id,
                department_id=j.department_id,
                group_id=group_id,
                student_id=student_id,
                assignees=teachers,
            )
        else:
            allow(
                principal,
                "report.read",
                faculty_id=j.faculty_id,
                department_id=j.department_id,
                group_id=group_id,
                assignees=teachers,
            )
        profile, records = await student_records(session, course_unit_id, group_id, today())
        names = await names_of(session, [r.student_id for r in records])
    forecasts = [forecast(record) for record in records]
    chosen = [f for f in forecasts if not student_id or f.student_id == student_id]
    return ForecastReport(
        profile, [(f, names.get(f.student_id, f.student_id)) for f in chosen], group_forecast(forecasts)
    )
