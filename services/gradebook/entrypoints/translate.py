"""Requests as use-case commands (the keyed writes) and results of use cases as protobuf messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from google.protobuf.message import Message

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.adapters import grid_wire
from services.gradebook.domain.statements import Line, Names, Signer
from services.gradebook.domain.totals import IntegratedResult, Totals
from services.gradebook.service_layer import attendance, closing, marks
from services.gradebook.service_layer.attendance import AttendanceCell
from services.gradebook.service_layer.closing import CloseOutcome
from services.gradebook.service_layer.disputes import DisputeView
from services.gradebook.service_layer.idempotency import fingerprint
from services.gradebook.service_layer.marks import MarkOutcome
from services.gradebook.service_layer.reads import Grid, JournalHeader, StatementView


def request_hash(request: Message) -> bytes:
    """What an idempotency key is bound to: the request's deterministic bytes, hashed."""
    return fingerprint(request.SerializeToString(deterministic=True))


def write_marks_command(request: pb.WriteMarksRequest) -> marks.WriteMarks:
    cells = [
        marks.CellWrite(
            c.column_id,
            c.student_id,
            c.value,
            c.expected_version if c.HasField("expected_version") else None,
            marks.typed_time(c.typed_at, index),
        )
        for index, c in enumerate(request.cells)
    ]
    return marks.WriteMarks(
        journal_id=request.journal_id,
        cells=cells,
        idempotency_key=request.idempotency_key,
        request_hash=request_hash(request),
        reason=request.reason,
    )


def record_attendance_command(request: pb.RecordAttendanceRequest) -> attendance.RecordAttendance:
    entries = [
        attendance.AttendanceWrite(
            e.student_id,
            e.status,
            e.expected_version if e.HasField("expected_version") else None,
            marks.typed_time(e.typed_at, index, "entries"),
        )
        for index, e in enumerate(request.entries)
    ]
    return attendance.RecordAttendance(
        journal_id=request.journal_id,
        lesson_id=request.lesson_id,
        entries=entries,
        idempotency_key=request.idempotency_key,
        request_hash=request_hash(request),
        reason=request.reason,
    )


def close_section_command(request: pb.CloseSectionRequest) -> closing.CloseSection:
    return closing.CloseSection(
        journal_id=request.journal_id,
        section=request.section,
        reason=request.reason,
        idempotency_key=request.idempotency_key,
        request_hash=request_hash(request),
    )


def instant(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def number(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def text_id(value: object) -> str:
    return "" if value is None else str(value)


def journal_message(h: JournalHeader) -> pb.Journal:
    j = h.journal
    return pb.Journal(
        journal_id=str(j.journal_id),
        title=j.title,
        term_id=str(j.term_id),
        course_unit_id=str(j.course_unit_id),
        course_unit_kind=j.course_unit_kind,
        group_id=str(j.group_id),
        subgroup_id=text_id(j.subgroup_id),
        lesson_type=j.lesson_type,
        profile_code=j.profile_code,
        department_id=text_id(j.department_id),
        faculty_id=text_id(j.faculty_id),
        teacher_ids=list(j.teacher_ids),
        locked_at=instant(j.locked_at),
        substituting_for=h.substituting_for,
        sections=[
            pb.Section(
                section=str(s.section_id),
                control_kind=s.control_kind,
                date=day(s.date),
                closing_deadline=instant(s.closing_deadline),
                closed_at=instant(s.closed_at),
                closed_by=s.closed_by or "",
                statement_id=text_id(s.statement_id),
                open_reopen_case_id=h.open_cases.get(s.section_id, ""),
            )
            for s in h.sections
        ],
    )


def grid_journal_message(grid: Grid) -> pb.Journal:
    j = grid.journal
    return pb.Journal(
        journal_id=str(j.journal_id),
        title=j.title,
        term_id=str(j.term_id),
        course_unit_id=str(j.course_unit_id),
        course_unit_kind=j.course_unit_kind,
        group_id=str(j.group_id),
        subgroup_id=text_id(j.subgroup_id),
        lesson_type=j.lesson_type,
        profile_code=j.profile_code,
        department_id=text_id(j.department_id),
        faculty_id=text_id(j.faculty_id),
        teacher_ids=list(j.teacher_ids),
        locked_at=instant(j.locked_at),
        substituting_for=grid.substituting_for,
        sections=[
            pb.Section(
                section=s.section_id,
                control_kind=s.control_kind,
                date=day(s.date),
                closing_deadline=instant(s.closing_deadline),
                closed_at=instant(s.closed_at),
                closed_by=s.closed_by or "",
                statement_id=s.statement_id or "",
                open_reopen_case_id=s.open_case_id or "",
            )
            for s in grid.rows.sections
        ],
    )


WRITE_MARKS_CELLS = pb.WriteMarksResponse.DESCRIPTOR.fields_by_name["cells"].number


def marks_response(outcome: MarkOutcome) -> pb.WriteMarksResponse:
    """Thousands of cells: wire-encoded in one pass (adapters/grid_wire.py) and parsed in C."""
    response = pb.WriteMarksResponse(reopen_case_id=outcome.case_id)
    response.MergeFromString(
        grid_wire.mark_cells(
            ((c.column_id, c.student_id, c.value, c.version) for c in outcome.cells), WRITE_MARKS_CELLS
        )
    )
    return response


def attendance_cells(cells: Sequence[AttendanceCell]) -> list[pb.AttendanceCell]:
    return [
        pb.AttendanceCell(
            column_id=c.column_id,
            student_id=c.student_id,
            status=c.status,
            version=c.version,
            source=c.source,
            checked_in_at=instant(c.checked_in_at),
        )
        for c in cells
    ]


def close_response(outcome: CloseOutcome) -> pb.CloseSectionResponse:
    closed = [
        pb.ClosedSection(
            journal_id=s.journal_id,
            section=s.section,
            statement_id=s.statement_id,
            statement_number=s.statement_number,
            already_closed=s.already_closed,
        )
        for s in outcome.sections
    ]
    if not outcome.sections:  # the workflow's deadline for a section no journal carries yet
        return pb.CloseSectionResponse(already_closed=True)
    first = outcome.sections[0]
    return pb.CloseSectionResponse(
        statement_id=first.statement_id,
        statement_number=first.statement_number,
        already_closed=all(s.already_closed for s in outcome.sections),
        statement_series=first.series,
        closed=closed,
    )


def totals_message(student_id: str, totals: Totals) -> pb.StudentTotals:
    final = totals.final
    return pb.StudentTotals(
        student_id=student_id,
        current_control=number(totals.current_control),
        midterm_control=number(totals.midterm_control),
        admission_rating=number(totals.admission_rating),
        admitted=totals.admitted,
        exam=totals.exam,
        final_grade=number(final.points) if final else "",
        letter=final.letter if final else "",
        gpa=final.gpa if final else "",
        traditional=final.traditional if final else "",
        passed=totals.passed,
    )


def integrated_message(student_id: str, result: IntegratedResult) -> pb.IntegratedTotals:
    grade = result.grade
    return pb.IntegratedTotals(
        student_id=student_id,
        parts=[pb.PartResult(course_unit_id=k, value=v) for k, v in result.parts.items()],
        grade=number(grade.points) if grade else "",
        letter=grade.letter if grade else "",
        gpa=grade.gpa if grade else "",
        passed=result.passed,
        incomplete=result.incomplete,
    )


def line_message(line: Line) -> pb.StatementLine:
    return pb.StatementLine(
        student_id=line.student_id,
        value=line.value,
        points=line.points,
        letter=line.letter,
        gpa=line.gpa,
        traditional=line.traditional,
        passed=line.passed,
        components=dict(line.components),
    )


def signer_message(s: Signer) -> pb.Signer:
    return pb.Signer(person_id=s.person_id, role=s.role, signed_at=s.signed_at)


def statement_message(v: StatementView) -> pb.Statement:
    h = v.header
    return pb.Statement(
        statement_id=v.statement_id,
        series=h.series,
        number=h.number,
        term_id=h.term_id,
        kind=h.kind,
        journal_id=h.journal_id,
        section=h.section,
        course_unit_id=h.course_unit_id,
        group_id=h.group_id,
        formed_at=h.formed_at,
        formed_by=h.formed_by,
        content_hash=v.content_hash,
        lines=[line_message(x) for x in v.lines],
        signers=[signer_message(s) for s in v.signers],
        original_statement_id=h.original_statement_id,
        case_id=h.case_id,
        control_kind=h.control_kind,
        names=names_message(v.names) if v.names is not None else None,
    )


def names_message(n: Names) -> pb.StatementNames:
    return pb.StatementNames(
        university=n.university,
        faculty=n.faculty,
        department=n.department,
        specialty=n.specialty,
        group=n.group,
        discipline=n.discipline,
        people=dict(n.people),
        time_zone=n.time_zone,
        profile_code=n.profile_code,
    )


def dispute_message(v: DisputeView) -> pb.Dispute:
    r = v.row
    return pb.Dispute(
        dispute_id=str(r.dispute_id),
        journal_id=str(r.journal_id),
        column_id=str(r.column_id),
        student_id=str(r.student_id),
        disputed_value=r.disputed_value,
        opened_at=instant(r.opened_at),
        answer_due_at=instant(r.answer_due_at),
        status=r.status,
        answered_by=r.answered_by or "",
        answered_at=instant(r.answered_at),
        corrected_value=r.corrected_value or "",
        overdue=v.overdue,
        thread=[
            pb.DisputeMessage(author_id=m.author_id, author_role=m.author_role, text=m.text, at=instant(m.at))
            for m in v.thread
        ],
    )
