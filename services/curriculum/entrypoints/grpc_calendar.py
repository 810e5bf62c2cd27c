"""RPCs of academic years, terms, control events and the audit."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal_platform.authz import authenticated
from ejournal_platform.pagination import page_request
from services.curriculum.entrypoints import translate as tr
from services.curriculum.entrypoints.rpc_base import Context, Rpcs
from services.curriculum.service_layer import audit_queries, calendar, control_events
from services.curriculum.service_layer.events import control_kind_name, enum_word


def deadline_kind(value: pb.DeadlineKind.ValueType) -> str:
    return enum_word(pb.DeadlineKind.Name, value, "DEADLINE_KIND_")


class CalendarRpcs(Rpcs):
    async def DefineAcademicYear(
        self, request: pb.DefineAcademicYearRequest, context: Context
    ) -> pb.DefineAcademicYearResponse:
        w = request.windows
        windows = (
            (w.load_from, w.load_until, w.correction_from, w.correction_until)
            if request.HasField("windows")
            else None
        )
        year = await calendar.define_academic_year(
            self.deps,
            authenticated(),
            calendar.DefineAcademicYear(
                university_id=request.university_id,
                code=request.code,
                starts_on=request.starts_on,
                ends_on=request.ends_on,
                terms=[calendar.TermInput(t.number, t.starts_on, t.ends_on) for t in request.terms],
                windows=windows,
                reason=request.reason,
            ),
        )
        return pb.DefineAcademicYearResponse(academic_year=tr.academic_year(year))

    async def ListAcademicYears(
        self, request: pb.ListAcademicYearsRequest, context: Context
    ) -> pb.ListAcademicYearsResponse:
        years = await calendar.list_academic_years(self.deps, authenticated(), request.university_id)
        return pb.ListAcademicYearsResponse(academic_years=[tr.academic_year(y) for y in years])

    async def ScheduleControlEvent(
        self, request: pb.ScheduleControlEventRequest, context: Context
    ) -> pb.ScheduleControlEventResponse:
        kind = control_kind_name(request.kind) if request.kind else ""
        row = await control_events.schedule_control_event(
            self.deps,
            authenticated(),
            control_events.ScheduleControlEvent(
                kind=kind,
                course_unit_id=request.course_unit_id,
                group_id=request.group_id,
                subgroup_id=request.subgroup_id,
                date=request.date,
                grade_entry_deadline=request.grade_entry_deadline,
                closing_deadline=request.closing_deadline,
            ),
        )
        return pb.ScheduleControlEventResponse(control_event=tr.control_event(row))

    async def ChangeDeadline(
        self, request: pb.ChangeDeadlineRequest, context: Context
    ) -> pb.ChangeDeadlineResponse:
        kind = deadline_kind(request.deadline_kind) if request.deadline_kind else ""
        row = await control_events.change_deadline(
            self.deps,
            authenticated(),
            control_events.ChangeDeadline(
                control_event_id=request.control_event_id,
                deadline_kind=kind,
                new_deadline=request.new_deadline,
                reason=request.reason,
                expected_revision=request.expected_revision,
            ),
        )
        return pb.ChangeDeadlineResponse(control_event=tr.control_event(row))

    async def ListControlEvents(
        self, request: pb.ListControlEventsRequest, context: Context
    ) -> pb.ListControlEventsResponse:
        filters = [request.term_id, request.group_id, request.course_unit_id]
        rows, next_token = await control_events.list_control_events(
            self.deps,
            authenticated(),
            request.term_id,
            request.group_id,
            request.course_unit_id,
            page_request(request.page_size, request.page_token, filters),
        )
        return pb.ListControlEventsResponse(
            control_events=[tr.control_event(r) for r in rows], next_page_token=next_token
        )

    async def ListAuditEntries(
        self, request: pb.ListAuditEntriesRequest, context: Context
    ) -> pb.ListAuditEntriesResponse:
        page = page_request(request.page_size, request.page_token, [request.entity, request.entity_id])
        rows, next_token = await audit_queries.list_audit_entries(
            self.deps, authenticated(), request.entity, request.entity_id, page
        )
        return pb.ListAuditEntriesResponse(
            entries=[tr.audit_entry(a) for a in rows], next_page_token=next_token
        )
