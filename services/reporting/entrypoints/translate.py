"""Translation between reporting's protobuf messages and its use cases' values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.queries_filling import Scope
from services.reporting.adapters.signing.pades import SignatureCheck
from services.reporting.domain.figures import text
from services.reporting.domain.reopens import Count
from services.reporting.service_layer.documents.render import Format
from services.reporting.service_layer.reports.attendance import AttendanceRow
from services.reporting.service_layer.reports.filling import FillingRow

GROUP_BY = {
    pb.GROUP_BY_TEACHER: "teacher",
    pb.GROUP_BY_DEPARTMENT: "department",
    pb.GROUP_BY_FACULTY: "faculty",
    pb.GROUP_BY_GROUP: "group",
    pb.GROUP_BY_STUDENT: "student",
    pb.GROUP_BY_COURSE_UNIT: "course_unit",
}
FORMATS = {
    pb.DOCUMENT_FORMAT_PDF: "pdf",
    pb.DOCUMENT_FORMAT_XLSX: "xlsx",
    pb.DOCUMENT_FORMAT_UNSPECIFIED: "pdf",
}
KINDS = {
    pb.REPORT_KIND_WEEKLY_FILLING: "weekly_filling",
    pb.REPORT_KIND_QUALITY_AND_ATTENDANCE: "quality_and_attendance",
    pb.REPORT_KIND_REOPEN_ANALYSIS: "reopen_analysis",
    pb.REPORT_KIND_CURATOR_ATTENDANCE: "curator_attendance",
    pb.REPORT_KIND_TERM_STATEMENTS: "term_statements",
}
KIND_VALUES = {v: k for k, v in KINDS.items()}
STATUSES = {
    "queued": pb.JOB_STATUS_QUEUED,
    "running": pb.JOB_STATUS_RUNNING,
    "done": pb.JOB_STATUS_DONE,
    "failed": pb.JOB_STATUS_FAILED,
}


def scope_of(message: pb.Scope) -> Scope:
    return Scope(
        term_id=message.term_id,
        faculty_id=message.faculty_id,
        department_id=message.department_id,
        group_id=message.group_id,
        teacher_id=message.teacher_id,
        course_unit_id=message.course_unit_id,
    )


def group_by(value: int, default: str) -> str:
    return str(GROUP_BY.get(value, default))  # type: ignore[call-overload]


def document_format(value: int) -> Format:
    if value not in FORMATS:
        raise InvalidArgument("format", "choose DOCUMENT_FORMAT_PDF or DOCUMENT_FORMAT_XLSX")
    return "xlsx" if FORMATS[value] == "xlsx" else "pdf"  # type: ignore[index]


def iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def epoch_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat() if seconds else ""


def filling_row(row: FillingRow | None, key: str = "", name: str = "", figures: Any = None) -> pb.FillingRow:
    f = row.figures if row is not None else figures
    return pb.FillingRow(
        key=row.key if row is not None else key,
        name=row.name if row is not None else name,
        week_start=row.week_start if row is not None else "",
        lessons_held=f.lessons_held,
        lessons_filled=f.lessons_filled,
        lessons_on_time=f.lessons_on_time,
        filled_percent=text(f.filled_rate),
        on_time_percent=text(f.on_time_rate),
        completeness_percent=text(f.completeness),
        unfilled_lesson_ids=list(f.unfilled_lesson_ids),
    )


def attendance_row(key: str, name: str, f: Any) -> pb.AttendanceRow:
    return pb.AttendanceRow(
        key=key,
        name=name,
        records=f.records,
        present=f.present,
        absent=f.absent,
        attendance_percent=text(f.attendance_rate),
        hours_missed=text(f.hours_missed),
    )


def attendance_rows(rows: list[AttendanceRow]) -> list[pb.AttendanceRow]:
    return [attendance_row(r.key, r.name, r.figures) for r in rows]


def counts(rows: tuple[Count, ...], names: dict[str, str]) -> list[pb.ReopenCount]:
    return [
        pb.ReopenCount(
            key=r.key,
            name=names.get(r.key, ""),
            count=r.count,
            share_percent=text(r.share),
            measure=r.measure,
        )
        for r in rows
    ]


def job(row: Any) -> pb.ReportJob:
    return pb.ReportJob(
        job_id=row.job_id,
        kind=KIND_VALUES.get(row.kind, pb.REPORT_KIND_UNSPECIFIED),
        status=STATUSES.get(row.status, pb.JOB_STATUS_UNSPECIFIED),
        progress=row.progress,
        total=row.total,
        error=row.error,
        created_at=iso(row.created_at),
        finished_at=iso(row.finished_at),
        filename=row.filename,
    )


def archive(row: Any) -> pb.ArchiveRecord:
    def get(key: str) -> Any:
        return row[key] if isinstance(row, dict) else getattr(row, key)

    day = get("term_ends_on")
    kept = get("kept_until")
    return pb.ArchiveRecord(
        archive_id=get("archive_id"),
        kind=get("kind"),
        item_id=get("item_id"),
        term_ends_on=day.isoformat() if day else "",
        kept_until=kept.isoformat() if kept else "",
        archived_at=iso(get("archived_at")),
        bundle=get("bundle"),
        bundle_sha256=get("bundle_sha256"),
        item_sha256=get("item_sha256"),
    )


def signatures(checks: Sequence[tuple[str, SignatureCheck]]) -> list[pb.StatementSignature]:
    return [
        pb.StatementSignature(
            role=role,
            signer=check.signer,
            signed_at=check.signed_at.isoformat() if check.signed_at else "",
            valid=check.ok,
        )
        for role, check in checks
    ]


def reopen_analysis_response(report: Any, people: dict[str, str]) -> pb.GetReopenAnalysisResponse:
    """A reopen analysis (KZ-14) with the names of its teachers and sanctioned people."""
    analysis = report.analysis
    return pb.GetReopenAnalysisResponse(
        total=analysis.total,
        closed=analysis.closed,
        by_reason=counts(analysis.by_reason, {}),
        by_faculty=counts(analysis.by_faculty, {}),
        by_department=counts(analysis.by_department, {}),
        by_teacher=counts(analysis.by_teacher, people),
        steps=[
            pb.ReopenStepFigures(
                step=s.step,
                cases=s.cases,
                median_hours=text(s.median_hours),
                max_hours=text(s.max_hours),
                overdue=s.overdue,
            )
            for s in analysis.steps
        ],
        median_days_to_close=text(analysis.median_days_to_close),
        sanctions=[
            pb.SanctionRow(
                proposal_id=s.proposal_id,
                subject=s.subject,
                subject_id=s.subject_id,
                name=people.get(s.subject_id, ""),
                count=s.count,
                measure=s.measure,
                case_id=s.case_id,
                reference=s.reference,
                confirmed_at=iso(s.confirmed_at),
            )
            for s in report.sanctions
        ],
        corrective_measures=[
            pb.CorrectiveMeasureRow(
                measure_id=m.measure_id,
                kind=m.kind,
                description=m.description,
                scope_type=m.scope_type,
                scope_id=m.scope_id,
                recorded_at=iso(m.recorded_at),
            )
            for m in report.measures
        ],
    )
