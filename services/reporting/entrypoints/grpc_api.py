"""reporting's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import page_request
from services.reporting.adapters.signing import pades
from services.reporting.domain.figures import text
from services.reporting.entrypoints import translate as cv
from services.reporting.entrypoints.app import ReportingApp
from services.reporting.service_layer import backup_records, jobs, rebuild, retention
from services.reporting.service_layer.access import allow, caller
from services.reporting.service_layer.documents import render, signing
from services.reporting.service_layer.reports import attendance, filling, forecasting, quality, reopens
from services.reporting.service_layer.reports.background import check_start
from services.reporting.service_layer.reports.common import Period, parse_day, today

Ctx = Any  # grpc.aio.ServicerContext (its stubs are not generic-friendly)


class ReportingServicer(pb_grpc.ReportingServiceServicer):
    def __init__(self, app: ReportingApp) -> None:
        self.app = app

    async def GetEventLag(self, request: pb.GetEventLagRequest, context: Ctx) -> pb.GetEventLagResponse:
        allow(caller(), "journal.monitor")
        consumers = []
        for backlog in await self.app.consumers.backlog():
            lag = self.app.lag.snapshot(backlog.consumer)
            consumers.append(
                pb.ConsumerLag(
                    consumer=backlog.consumer,
                    stream=backlog.stream,
                    pending_events=backlog.pending,
                    unacknowledged_events=backlog.unacknowledged,
                    samples=lag.samples,
                    p50_seconds=lag.p50_seconds,
                    p99_seconds=lag.p99_seconds,
                    max_seconds=lag.max_seconds,
                    last_event_time=cv.epoch_iso(lag.last_event_time),
                    applied_total=lag.applied_total,
                    dead_letters=backlog.dead_letters,
                )
            )
        total = sum(c.pending_events + c.unacknowledged_events for c in consumers)
        return pb.GetEventLagResponse(pending_events=total, consumers=consumers)

    async def RebuildReadModels(
        self, request: pb.RebuildReadModelsRequest, context: Ctx
    ) -> pb.RebuildReadModelsResponse:
        allow(caller(), "report.archive")
        started = await rebuild.rebuild(self.app.deps, consumers=self.app.consumers)
        return pb.RebuildReadModelsResponse(
            tables_dropped=started.tables, inbox_rows_dropped=started.inbox_rows_dropped
        )

    async def GetFillingReport(
        self, request: pb.GetFillingReportRequest, context: Ctx
    ) -> pb.GetFillingReportResponse:
        period = Period.of(request.from_date, request.to_date, 7)
        report = await filling.filling_report(
            self.app.deps,
            caller(),
            cv.scope_of(request.scope),
            period,
            cv.group_by(request.group_by, "teacher"),
            request.weekly,
        )
        return pb.GetFillingReportResponse(
            rows=[cv.filling_row(r) for r in report.rows], total=cv.filling_row(None, figures=report.total)
        )

    async def GetAttendanceReport(
        self, request: pb.GetAttendanceReportRequest, context: Ctx
    ) -> pb.GetAttendanceReportResponse:
        period = Period.of(request.from_date, request.to_date, 7)
        rows, total = await attendance.attendance_report(
            self.app.deps,
            caller(),
            cv.scope_of(request.scope),
            period,
            cv.group_by(request.group_by, "group"),
        )
        return pb.GetAttendanceReportResponse(
            rows=cv.attendance_rows(rows), total=cv.attendance_row("", "", total)
        )

    async def GetQualityReport(
        self, request: pb.GetQualityReportRequest, context: Ctx
    ) -> pb.GetQualityReportResponse:
        rows, pending = await quality.quality_report(
            self.app.deps,
            caller(),
            request.term_id,
            request.academic_year_id,
            cv.scope_of(request.scope),
            cv.group_by(request.group_by, "group"),
        )
        return pb.GetQualityReportResponse(
            rows=[
                pb.QualityRow(
                    key=r.key,
                    name=r.name,
                    profile_code=r.profile_code,
                    results=r.figures.results,
                    passed=r.figures.passed,
                    good=r.figures.good,
                    performance_percent=text(r.figures.performance_rate),
                    quality_percent=text(r.figures.quality_rate),
                    average=text(r.figures.average),
                )
                for r in rows
            ],
            statements_pending=pending,
        )

    async def GetReopenAnalysis(
        self, request: pb.GetReopenAnalysisRequest, context: Ctx
    ) -> pb.GetReopenAnalysisResponse:
        period = Period.of(request.from_date, request.to_date, 183)
        report = await reopens.reopen_analysis(self.app.deps, caller(), period, request.faculty_id)
        analysis = report.analysis
        people = await reopens.people_named(
            self.app.deps, [r.key for r in analysis.by_teacher] + [s.subject_id for s in report.sanctions]
        )
        return cv.reopen_analysis_response(report, people)

    async def GetCuratorAttendanceList(
        self, request: pb.GetCuratorAttendanceListRequest, context: Ctx
    ) -> pb.GetCuratorAttendanceListResponse:
        period = Period.of(request.from_date, request.to_date, 30)
        rows = await attendance.curator_list(
            self.app.deps, caller(), request.group_id, period, request.below_percent
        )
        return pb.GetCuratorAttendanceListResponse(
            rows=[
                pb.CuratorRow(
                    student_id=r.student_id,
                    full_name=r.full_name,
                    absent=r.figures.absent,
                    attendance_percent=text(r.figures.attendance_rate),
                    hours_missed=text(r.figures.hours_missed),
                    parents=[
                        pb.ParentContact(person_id=p.person_id, full_name=p.full_name, login=p.login)
                        for p in r.parents
                    ],
                )
                for r in rows
            ]
        )

    async def GetForecast(self, request: pb.GetForecastRequest, context: Ctx) -> pb.GetForecastResponse:
        report = await forecasting.forecast_report(
            self.app.deps, caller(), request.course_unit_id, request.group_id, request.student_id
        )
        return pb.GetForecastResponse(
            profile_code=report.profile_code,
            students=[
                pb.StudentForecast(
                    student_id=f.student_id,
                    full_name=name,
                    expected_result=text(f.expected),
                    failure_risk=text(f.risk),
                    reasons=[
                        pb.ForecastReason(
                            control_id=r.control_id, label=r.label, mark=r.mark, cost=text(r.cost)
                        )
                        for r in f.reasons
                    ],
                    missed_percent=text(f.missed_share),
                )
                for f, name in report.students
            ],
            group_expected_average=text(report.group.expected_average),
            students_at_risk=report.group.at_risk,
            method=forecasting.METHOD,
        )

    async def RenderDocument(
        self, request: pb.RenderDocumentRequest, context: Ctx
    ) -> pb.RenderDocumentResponse:
        fmt = cv.document_format(request.format)
        principal = caller()
        deps = self.app.deps
        which = request.WhichOneof("document")
        if which == "statement" and fmt == "pdf" and deps.signing is not None:
            # The statement's signed PDF: the same file for every print, with every signature so far.
            printed = signing.PrintStatement(statement_id=request.statement.statement_id)
            pdf, number, digest = await signing.signed_pdf(deps, principal, printed)
            done = render.Rendered(
                pdf, render.CONTENT_TYPES["pdf"], f"statement-{number}.pdf", number, digest
            )
        elif which == "statement":
            # A statement prints only what its record says.
            done = await render.statement_document(
                deps, principal, request.statement.statement_id, fmt, deps.public_url
            )
        elif which == "journal_printout":
            done = await render.journal_printout(deps, principal, request.journal_printout.journal_id, fmt)
        elif which == "lesson_plan":
            plan = request.lesson_plan
            protocol = (plan.protocol_number, plan.protocol_date)
            done = await render.lesson_plan(
                deps, principal, plan.course_unit_id, plan.group_id, protocol, fmt
            )
        elif which == "filling_error_explanation":
            e = request.filling_error_explanation
            given = {
                "case_id": e.case_id,
                "journal_id": e.journal_id,
                "wrong_date": e.wrong_date,
                "reason": e.reason,
                "specialty": e.specialty,
                "addressed_to": e.addressed_to,
            }
            done = await render.filling_error_explanation(deps, principal, given, fmt)
        elif which == "login_request":
            done = await render.login_request(deps, principal, request.login_request, fmt)
        else:
            raise InvalidArgument("document", "choose the document to print")
        return pb.RenderDocumentResponse(
            content=done.content,
            content_type=done.content_type,
            filename=done.filename,
            number=done.number,
            content_hash=done.content_hash,
        )

    async def ApproveStatement(
        self, request: pb.ApproveStatementRequest, context: Ctx
    ) -> pb.ApproveStatementResponse:
        done = await signing.approve(
            self.app.deps,
            caller(),
            signing.ApproveStatement(statement_id=request.statement_id),
        )
        return pb.ApproveStatementResponse(
            number=done.number,
            signatures=_signers(done.signers),
            next_role=done.next_role,
            already_signed=done.already_signed,
        )

    async def PrepareExternalSignature(
        self, request: pb.PrepareExternalSignatureRequest, context: Ctx
    ) -> pb.PrepareExternalSignatureResponse:
        prepared = await signing.prepare_external(
            self.app.deps,
            caller(),
            signing.PrepareExternalSignature(
                statement_id=request.statement_id, certificate=request.certificate, chain=tuple(request.chain)
            ),
        )
        return pb.PrepareExternalSignatureResponse(
            signing_id=prepared.signing_id,
            role=prepared.role,
            number=prepared.number,
            signed_attributes=prepared.pending.signed_attrs,
            digest=prepared.pending.to_sign,
            digest_algorithm=pades.MD,
            signature_algorithm=prepared.signature_algorithm,
        )

    async def CompleteExternalSignature(
        self, request: pb.CompleteExternalSignatureRequest, context: Ctx
    ) -> pb.CompleteExternalSignatureResponse:
        completed = signing.CompleteExternalSignature(
            signing_id=request.signing_id, signature=request.signature
        )
        done = await signing.complete_external(self.app.deps, caller(), completed)
        return pb.CompleteExternalSignatureResponse(
            number=done.number, signatures=_signers(done.signers), next_role=done.next_role
        )

    async def VerifyStatement(
        self, request: pb.VerifyStatementRequest, context: Ctx
    ) -> pb.VerifyStatementResponse:
        found = await signing.verify_number(self.app.deps, request.number, request.hash)
        return pb.VerifyStatementResponse(
            number=found.number,
            content_hash=found.content_hash,
            formed_at=found.formed_at,
            signatures=cv.signatures(found.checks),
            signatures_valid=found.signatures_valid,
        )

    async def VerifyDocument(
        self, request: pb.VerifyDocumentRequest, context: Ctx
    ) -> pb.VerifyDocumentResponse:
        found = await signing.verify_upload(self.app.deps, request.content)
        return pb.VerifyDocumentResponse(
            matches_record=found.matches_record,
            number=found.number,
            content_hash=found.content_hash,
            signatures=cv.signatures(found.checks),
            signatures_valid=found.signatures_valid and found.matches_record,
        )

    async def StartReport(self, request: pb.StartReportRequest, context: Ctx) -> pb.StartReportResponse:
        job_request = jobs.JobRequest(
            kind=cv.KINDS.get(request.kind, ""),
            format=cv.document_format(request.format),
            scope=cv.scope_of(request.scope),
            from_date=request.from_date,
            to_date=request.to_date,
            academic_year_id=request.academic_year_id,
        )
        started = jobs.StartReport(request_id=request.request_id, report=job_request)
        row = await jobs.start_report(
            self.app.deps, caller(), started, check=check_start, wakeup=self.app.jobs.wakeup
        )
        return pb.StartReportResponse(job=cv.job(row))

    async def GetReportJob(self, request: pb.GetReportJobRequest, context: Ctx) -> pb.GetReportJobResponse:
        return pb.GetReportJobResponse(
            job=cv.job(await jobs.get_job(self.app.deps, caller(), request.job_id))
        )

    async def DownloadReport(
        self, request: pb.DownloadReportRequest, context: Ctx
    ) -> pb.DownloadReportResponse:
        built = await jobs.download(self.app.deps, caller(), request.job_id)
        return pb.DownloadReportResponse(
            content=built.content, content_type=built.content_type, filename=built.filename
        )

    async def RunRetention(self, request: pb.RunRetentionRequest, context: Ctx) -> pb.RunRetentionResponse:
        as_of: date = parse_day(request.as_of, "as_of") or today()
        records = await retention.run_retention(self.app.deps, caller(), retention.RunRetention(as_of=as_of))
        return pb.RunRetentionResponse(archived=[cv.archive(r) for r in records])

    async def ListArchiveRecords(
        self, request: pb.ListArchiveRecordsRequest, context: Ctx
    ) -> pb.ListArchiveRecordsResponse:
        page = page_request(request.page_size, request.page_token, [request.item_id])
        rows, next_token = await retention.list_records(self.app.deps, caller(), request.item_id, page)
        return pb.ListArchiveRecordsResponse(
            records=[cv.archive(r) for r in rows], next_page_token=next_token
        )

    async def ListBackups(self, request: pb.ListBackupsRequest, context: Ctx) -> pb.ListBackupsResponse:
        page = page_request(request.page_size, request.page_token)
        rows, next_token = await backup_records.list_backups(self.app.deps, caller(), page)
        return pb.ListBackupsResponse(
            backups=[
                pb.Backup(
                    backup_id=r.backup_id,
                    started_at=cv.iso(r.started_at),
                    finished_at=cv.iso(r.finished_at),
                    location=r.location,
                    status=r.status,
                    manifest_json=json.dumps(r.manifest, sort_keys=True),
                    size_bytes=r.size_bytes,
                )
                for r in rows
            ],
            next_page_token=next_token,
        )


def _signers(signers: list[dict[str, str]]) -> list[pb.StatementSignature]:
    return [
        pb.StatementSignature(role=s["role"], signer=s["person_id"], signed_at=s["signed_at"])
        for s in signers
    ]
