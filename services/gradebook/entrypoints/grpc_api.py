"""gradebook's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.context import current_principal
from ejournal_platform.pagination import page_request
from services.gradebook.adapters import grid_json, grid_wire
from services.gradebook.entrypoints import translate as tr
from services.gradebook.service_layer import (
    attendance,
    checkins,
    closing,
    disputes,
    fill,
    marks,
    reads,
    reopen,
    totals,
)
from services.gradebook.service_layer.context import Gradebook

Ctx: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"


class GradebookServicer(pb_grpc.GradebookServiceServicer):
    def __init__(self, gradebook: Gradebook) -> None:
        self.gb = gradebook

    async def GetJournal(self, request: pb.GetJournalRequest, context: Ctx) -> pb.GetJournalResponse:
        header, known, course = await reads.get_journal_with_names(
            self.gb, current_principal(), request.journal_id
        )
        journal = tr.journal_message(header)
        printed = pb.JournalNames(
            discipline=known.discipline, group=known.group, specialty=known.specialty,
            department=known.department, faculty=known.faculty, course=course,
        )  # fmt: skip
        return pb.GetJournalResponse(
            journal_id=journal.journal_id, title=journal.title, journal=journal, names=printed
        )

    async def ListMyJournals(
        self, request: pb.ListMyJournalsRequest, context: Ctx
    ) -> pb.ListMyJournalsResponse:
        page = page_request(request.page_size, request.page_token, {"term_id": request.term_id})
        me = current_principal()
        headers, next_token = await reads.list_my_journals(self.gb, me, request.term_id, page)
        return pb.ListMyJournalsResponse(
            journals=[tr.journal_message(h) for h in headers], next_page_token=next_token
        )

    async def GetJournalGrid(
        self, request: pb.GetJournalGridRequest, context: Ctx
    ) -> pb.GetJournalGridResponse:
        grid = await reads.grid(self.gb, current_principal(), request.journal_id)
        rows = grid.rows
        response = pb.GetJournalGridResponse(journal=tr.grid_journal_message(grid))
        response.students.extend(
            [pb.RosterEntry(student_id=s.student_id, subgroup_id=s.subgroup_id or "") for s in rows.students]
        )
        response.columns.extend(
            [
                pb.Column(
                    column_id=c.column_id,
                    kind=c.kind,
                    date=c.date.isoformat(),
                    starts_at=c.starts_at,
                    topic=c.topic,
                    number=c.number,
                    section=c.section_id or "",
                    control_kind=c.control_kind or "",
                    lesson_type=c.lesson_type,
                )
                for c in rows.columns
            ]
        )
        if request.cells_as_json:
            # The gateway's form: the cells as its reply's JSON, forwarded without a step per cell.
            response.cells_json = grid_json.mark_cells(rows.marks)
            response.attendance_json = grid_json.attendance_cells(rows.attendance)
            return response
        # 1,800 cells: encoded to wire format directly and parsed in C (see adapters/grid_wire.py).
        response.MergeFromString(
            grid_wire.mark_cells(rows.marks) + grid_wire.attendance_cells(rows.attendance)
        )
        return response

    async def WriteMarks(self, request: pb.WriteMarksRequest, context: Ctx) -> pb.WriteMarksResponse:
        result = await marks.write_marks(self.gb, current_principal(), tr.write_marks_command(request))
        response = tr.marks_response(result.outcome)
        response.replayed = result.replayed
        return response

    async def RecordAttendance(
        self, request: pb.RecordAttendanceRequest, context: Ctx
    ) -> pb.RecordAttendanceResponse:
        result = await attendance.record_attendance(
            self.gb,
            current_principal(),
            tr.record_attendance_command(request),
            lambda cells: pb.RecordAttendanceResponse(entries=tr.attendance_cells(cells)).SerializeToString(),
        )
        if result.stored is not None:
            replay = pb.RecordAttendanceResponse.FromString(result.stored)
            replay.replayed = True
            return replay
        return pb.RecordAttendanceResponse(entries=tr.attendance_cells(result.cells))

    async def GetCheckInCode(
        self, request: pb.GetCheckInCodeRequest, context: Ctx
    ) -> pb.GetCheckInCodeResponse:
        code = await checkins.check_in_code(
            self.gb, current_principal(), request.journal_id, request.lesson_id
        )
        return pb.GetCheckInCodeResponse(
            code=code.code,
            valid_from=tr.instant(code.valid_from),
            valid_until=tr.instant(code.valid_until),
            rotate_every_seconds=30,
        )

    async def CheckIn(self, request: pb.CheckInRequest, context: Ctx) -> pb.CheckInResponse:
        done = await checkins.check_in(self.gb, current_principal(), request.code)
        return pb.CheckInResponse(
            journal_id=done.journal_id,
            lesson_id=done.lesson_id,
            student_id=done.student_id,
            checked_in_at=tr.instant(done.checked_in_at),
            status=done.status,
        )

    async def GetTotals(self, request: pb.GetTotalsRequest, context: Ctx) -> pb.GetTotalsResponse:
        journal, found = await totals.journal_totals_for(
            self.gb, current_principal(), journal_id=request.journal_id, student_ids=list(request.student_ids)
        )
        return pb.GetTotalsResponse(
            journal_id=str(journal.journal_id),
            profile_code=journal.profile_code,
            students=[tr.totals_message(str(s), v) for s, v in found.items()],
        )

    async def GetIntegratedTotals(
        self, request: pb.GetIntegratedTotalsRequest, context: Ctx
    ) -> pb.GetIntegratedTotalsResponse:
        unit, students, results = await totals.integrated_totals(
            self.gb, current_principal(), course_unit_id=request.course_unit_id, group_id=request.group_id
        )
        return pb.GetIntegratedTotalsResponse(
            course_unit_id=str(unit.course_unit_id),
            course_unit_kind=unit.kind,
            students=[tr.integrated_message(str(s), results[s]) for s in students],
        )

    async def CloseSection(self, request: pb.CloseSectionRequest, context: Ctx) -> pb.CloseSectionResponse:
        closing.check_reason(request.reason)
        outcome = await closing.close_section(
            self.gb,
            current_principal(),
            tr.close_section_command(request),
            encode=lambda o: tr.close_response(o).SerializeToString(),
        )
        if outcome.stored is not None:
            return pb.CloseSectionResponse.FromString(outcome.stored)
        return tr.close_response(outcome)

    async def GrantReopen(self, request: pb.GrantReopenRequest, context: Ctx) -> pb.GrantReopenResponse:
        outcome = await reopen.grant_reopen(
            self.gb,
            current_principal(),
            request.case_id,
            request.teacher_id,
            request.journal_id,
            request.section,
            request.expires_at,
            request.reason,
        )
        return pb.GrantReopenResponse(grant_id=outcome.grant_id, already_granted=outcome.already_granted)

    async def EndReopen(self, request: pb.EndReopenRequest, context: Ctx) -> pb.EndReopenResponse:
        outcome = await reopen.end_reopen(self.gb, current_principal(), request.case_id, request.reason)
        return pb.EndReopenResponse(
            individual_statement_id=outcome.individual_statement_id,
            individual_statement_number=outcome.individual_statement_number,
            corrected_student_ids=outcome.corrected_student_ids,
            already_ended=outcome.already_ended,
        )

    async def GetStatement(self, request: pb.GetStatementRequest, context: Ctx) -> pb.GetStatementResponse:
        view = await reads.get_statement(self.gb, current_principal(), request.statement_id)
        return pb.GetStatementResponse(statement=tr.statement_message(view))

    async def ListStatements(
        self, request: pb.ListStatementsRequest, context: Ctx
    ) -> pb.ListStatementsResponse:
        views = await reads.list_statements(self.gb, current_principal(), request.journal_id)
        return pb.ListStatementsResponse(statements=[tr.statement_message(v) for v in views])

    async def FormIntegratedStatement(
        self, request: pb.FormIntegratedStatementRequest, context: Ctx
    ) -> pb.FormIntegratedStatementResponse:
        formed = await totals.form_integrated_statement(
            self.gb, current_principal(), request.course_unit_id, request.group_id
        )
        return pb.FormIntegratedStatementResponse(
            statement_id=formed.statement_id,
            statement_number=formed.number,
            statement_series=formed.series,
            already_formed=formed.already_formed,
        )

    async def VerifyJournal(self, request: pb.VerifyJournalRequest, context: Ctx) -> pb.VerifyJournalResponse:
        checked = await reads.verify_journal(self.gb, current_principal(), request.journal_id)
        verdict, cell = checked.chain, checked.mismatch
        return pb.VerifyJournalResponse(
            intact=verdict.intact,
            entries_checked=verdict.checked,
            first_broken_position=verdict.first_broken_position,
            broken_reason=verdict.reason,
            head_hash=verdict.head_hash.hex(),
            differing_kind=cell.kind if cell else "",
            differing_column_id=cell.column_id if cell else "",
            differing_student_id=cell.student_id if cell else "",
        )

    async def GetCellHistory(
        self, request: pb.GetCellHistoryRequest, context: Ctx
    ) -> pb.GetCellHistoryResponse:
        rows = await reads.cell_history(
            self.gb,
            current_principal(),
            journal_id=request.journal_id,
            column_id=request.column_id,
            student_id=request.student_id,
        )
        return pb.GetCellHistoryResponse(
            entries=[
                pb.HistoryEntry(
                    position=r.change.position,
                    kind=r.change.kind,
                    column_id=r.change.column_id,
                    student_id=r.change.student_id,
                    old_value=r.change.old_value or "",
                    new_value=r.change.new_value or "",
                    author_id=r.change.author_id,
                    on_behalf_of_id=r.change.on_behalf_of_id or "",
                    reason=r.change.reason or "",
                    grant_id=r.change.grant_id or "",
                    case_id=r.change.case_id or "",
                    recorded_at=tr.instant(r.change.recorded_at),
                    hash=r.hash.hex(),
                    typed_at=tr.instant(r.change.typed_at) if r.change.typed_at else "",
                    author_name=r.author_name,
                    on_behalf_of_name=r.on_behalf_of_name,
                )
                for r in rows
            ]
        )

    async def OpenDispute(self, request: pb.OpenDisputeRequest, context: Ctx) -> pb.OpenDisputeResponse:
        view = await disputes.open_dispute(
            self.gb, current_principal(), request.journal_id, request.column_id, request.message
        )
        return pb.OpenDisputeResponse(dispute=tr.dispute_message(view))

    async def AnswerDispute(self, request: pb.AnswerDisputeRequest, context: Ctx) -> pb.AnswerDisputeResponse:
        view = await disputes.answer_dispute(
            self.gb,
            current_principal(),
            request.dispute_id,
            request.decision,
            request.reason,
            request.corrected_value,
            request.expected_version if request.HasField("expected_version") else None,
        )
        return pb.AnswerDisputeResponse(dispute=tr.dispute_message(view))

    async def ListDisputes(self, request: pb.ListDisputesRequest, context: Ctx) -> pb.ListDisputesResponse:
        asked = (request.journal_id, request.student_id, request.status)
        page = page_request(request.page_size, request.page_token, asked)
        views, next_token = await disputes.list_disputes(self.gb, current_principal(), *asked, page)
        return pb.ListDisputesResponse(
            disputes=[tr.dispute_message(v) for v in views], next_page_token=next_token
        )

    async def GetStudentResults(
        self, request: pb.GetStudentResultsRequest, context: Ctx
    ) -> pb.GetStudentResultsResponse:
        student, found = await totals.student_results(
            self.gb, current_principal(), student_id=request.student_id, term_id=request.term_id
        )
        response = pb.GetStudentResultsResponse(student_id=student)
        for journal, cells, sums in found:
            response.journals.append(
                pb.JournalResults(
                    journal=tr.journal_message(reads.JournalHeader(journal, [])),
                    marks=[
                        pb.StudentMark(
                            column_id=str(c.column_id),
                            kind=c.kind,
                            date=c.date.isoformat(),
                            value=value,
                            attendance=status,
                            control_kind=c.control_kind or "",
                        )
                        for c, value, status in cells
                    ],
                    totals=tr.totals_message(student, sums),
                )
            )
        return response

    async def GetFillStatus(self, request: pb.GetFillStatusRequest, context: Ctx) -> pb.GetFillStatusResponse:
        filters = [
            request.journal_id,
            request.teacher_id,
            request.department_id,
            request.from_date,
            request.to_date,
        ]
        found, next_token = await fill.fill_status(
            self.gb,
            current_principal(),
            journal_id=request.journal_id,
            teacher_id=request.teacher_id,
            department_id=request.department_id,
            from_date=request.from_date,
            to_date=request.to_date,
            page=page_request(request.page_size, request.page_token, filters),
        )
        return pb.GetFillStatusResponse(
            journals=[
                pb.JournalFill(
                    journal_id=str(f.journal.journal_id),
                    teacher_ids=list(f.journal.teacher_ids),
                    department_id=tr.text_id(f.journal.department_id),
                    faculty_id=tr.text_id(f.journal.faculty_id),
                    group_id=str(f.journal.group_id),
                    course_unit_id=str(f.journal.course_unit_id),
                    unit_days=f.unit_days,
                    daily_grading_required=f.daily_grading_required,
                    days=[
                        pb.LessonDay(
                            date=d.date.isoformat(),
                            lesson_ids=list(d.lesson_ids),
                            has_marks=d.has_marks,
                            students=d.students,
                            marks=d.marks,
                            attendance_records=d.attendance_records,
                            absent=d.absent,
                        )
                        for d in f.days
                    ],
                    weeks=[
                        pb.WeekFill(
                            week_start=w.week_start.isoformat(),
                            lessons=w.lessons,
                            lessons_with_marks=w.lessons_with_marks,
                            expected_cells=w.expected_cells,
                            filled_cells=w.filled_cells,
                            filling_percent=str(w.filling_percent),
                            attendance_records=w.attendance_records,
                            present=w.present,
                            absent=w.absent,
                            attendance_percent=str(w.attendance_percent),
                        )
                        for w in f.weeks
                    ],
                )
                for f in found
            ],
            next_page_token=next_token,
        )
