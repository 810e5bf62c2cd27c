"""workflow's gRPC servicer: translates requests to use cases and results to responses, nothing else.

The caller is the principal the authentication interceptor verified; use cases pass it on (as an Actor)
into the workflow updates, whose validators decide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import grpc

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc
from ejournal_platform.context import current_principal
from ejournal_platform.pagination import page_request
from services.workflow.domain.reopen_facts import Explanation, LateAdmission
from services.workflow.processes.reopen.messages import CaseView
from services.workflow.service_layer import checks, reopen_cases, sanctions
from services.workflow.service_layer import tasks as task_lists
from services.workflow.service_layer.deps import Deps


def text(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def late_pb(admission: LateAdmission | None) -> pb.LateAdmission | None:
    if admission is None:
        return None
    return pb.LateAdmission(
        admitted_by=admission.admitted_by, admitted_at=text(admission.admitted_at), reason=admission.reason
    )


def case_pb(view: CaseView) -> pb.ReopenCase:
    f, e = view.facts, view.explanation
    message = pb.ReopenCase(
        case_id=f.case_id,
        journal_id=f.journal_id,
        section=f.section,
        teacher_id=f.teacher_id,
        department_id=f.department_id,
        faculty_id=f.faculty_id,
        term_id=f.term_id,
        step=view.step,
        waiting_for=list(view.waiting_for),
        deadline=text(view.deadline),
        overdue=view.overdue,
        received_at=text(view.received_at),
        closed_at=text(f.closed_at),
        explanation=pb.Explanation(
            discipline=e.discipline,
            lesson_types=list(e.lesson_types),
            course=e.course,
            group=e.group,
            specialty=e.specialty,
            wrong_date=e.wrong_date,
            reason=e.reason,
        ),
        visas=[
            pb.Visa(role=v.role, person_id=v.person_id, at=text(v.at), approve=v.approve, comment=v.comment)
            for v in view.visas
        ],
        grant_id=view.grant_id,
        reopened_at=text(view.reopened_at),
        correction_late=view.correction_late,
        end_reason=view.end_reason,
        history=[
            pb.HistoryEntry(seq=h.seq, at=text(h.at), actor_id=h.actor_id, action=h.action, detail=h.detail)
            for h in view.history
        ],
    )
    if view.decision is not None:
        d = view.decision
        message.decision.CopyFrom(
            pb.CouncilDecision(
                approve=d.approve, person_id=d.person_id, at=text(d.at), protocol=d.protocol, reason=d.reason
            )
        )
    late = late_pb(view.late_admission)
    if late is not None:
        message.late_admission.CopyFrom(late)
    return message


def explanation_of(message: pb.Explanation) -> Explanation:
    return Explanation(
        message.discipline,
        tuple(message.lesson_types),
        message.course,
        message.group,
        message.specialty,
        message.wrong_date,
        message.reason,
    )


class WorkflowServicer(pb_grpc.WorkflowServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def SubmitExplanation(
        self, request: pb.SubmitExplanationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.SubmitExplanationResponse:
        view = await reopen_cases.submit_explanation(
            self.deps,
            current_principal(),
            reopen_cases.SubmitExplanation(
                request_id=request.request_id,
                journal_id=request.journal_id,
                section=request.section,
                explanation=explanation_of(request.explanation),
            ),
        )
        return pb.SubmitExplanationResponse(case=case_pb(view))

    async def AdmitLateExplanation(
        self, request: pb.AdmitLateExplanationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.AdmitLateExplanationResponse:
        admission = await reopen_cases.admit_late(
            self.deps,
            current_principal(),
            reopen_cases.AdmitLateExplanation(
                journal_id=request.journal_id,
                section=request.section,
                teacher_id=request.teacher_id,
                reason=request.reason,
            ),
        )
        return pb.AdmitLateExplanationResponse(admission=late_pb(admission))

    async def AddVisa(
        self, request: pb.AddVisaRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.AddVisaResponse:
        view = await reopen_cases.add_visa(
            self.deps,
            current_principal(),
            reopen_cases.AddVisa(
                case_id=request.case_id, role=request.role, approve=request.approve, comment=request.comment
            ),
        )
        return pb.AddVisaResponse(case=case_pb(view))

    async def DecideCouncil(
        self, request: pb.DecideCouncilRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.DecideCouncilResponse:
        view = await reopen_cases.decide(
            self.deps,
            current_principal(),
            reopen_cases.RecordCouncilDecision(
                case_id=request.case_id,
                approve=request.approve,
                protocol=request.protocol,
                reason=request.reason,
            ),
        )
        return pb.DecideCouncilResponse(case=case_pb(view))

    async def ReopenJournal(
        self, request: pb.ReopenJournalRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ReopenJournalResponse:
        view = await reopen_cases.reopen(
            self.deps, current_principal(), reopen_cases.ReopenJournal(case_id=request.case_id)
        )
        return pb.ReopenJournalResponse(case=case_pb(view))

    async def SubmitCorrection(
        self, request: pb.SubmitCorrectionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.SubmitCorrectionResponse:
        view = await reopen_cases.submit_correction(
            self.deps,
            current_principal(),
            reopen_cases.SubmitCorrection(case_id=request.case_id, note=request.note),
        )
        return pb.SubmitCorrectionResponse(case=case_pb(view))

    async def WithdrawCase(
        self, request: pb.WithdrawCaseRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.WithdrawCaseResponse:
        view = await reopen_cases.withdraw(
            self.deps,
            current_principal(),
            reopen_cases.WithdrawCase(case_id=request.case_id, reason=request.reason),
        )
        return pb.WithdrawCaseResponse(case=case_pb(view))

    async def GetCase(
        self, request: pb.GetCaseRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.GetCaseResponse:
        view = await reopen_cases.get_case(self.deps, current_principal(), request.case_id)
        return pb.GetCaseResponse(case=case_pb(view))

    async def ListMyCases(
        self, request: pb.ListMyCasesRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListMyCasesResponse:
        page = page_request(request.page_size, request.page_token)
        views, next_token = await reopen_cases.list_my_cases(self.deps, current_principal(), page)
        cases = [case_pb(view) for view in views]
        for case in cases:
            case.ClearField("history")
        return pb.ListMyCasesResponse(cases=cases, next_page_token=next_token)

    async def ListTasks(
        self, request: pb.ListTasksRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListTasksResponse:
        page = page_request(request.page_size, request.page_token)
        tasks, next_token = await task_lists.list_tasks(self.deps, current_principal(), page)
        return pb.ListTasksResponse(
            tasks=[
                pb.Task(
                    case_id=t.case_id,
                    step=t.step,
                    deadline=text(t.deadline),
                    overdue=t.overdue,
                    action=t.action,
                    journal_id=t.journal_id,
                    section=t.section,
                    teacher_id=t.teacher_id,
                    department_id=t.department_id,
                    faculty_id=t.faculty_id,
                    summary=t.summary,
                )
                for t in tasks
            ],
            next_page_token=next_token,
        )

    async def ListReopenCounts(
        self, request: pb.ListReopenCountsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListReopenCountsResponse:
        teachers, departments = await sanctions.counts(
            self.deps, current_principal(), request.term_id, request.profile_code
        )
        return pb.ListReopenCountsResponse(
            teachers=[
                pb.ReopenCount(subject_id=c.subject_id, count=c.count, measure=c.measure) for c in teachers
            ],
            departments=[
                pb.ReopenCount(subject_id=c.subject_id, count=c.count, measure=c.measure) for c in departments
            ],
        )

    async def ListReopenReasons(
        self, request: pb.ListReopenReasonsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListReopenReasonsResponse:
        reopens, measures = await sanctions.reasons(self.deps, current_principal(), request.term_id)
        return pb.ListReopenReasonsResponse(
            reopens=[
                pb.ReopenReason(
                    case_id=r.case_id,
                    teacher_id=r.teacher_id,
                    department_id=r.department_id,
                    faculty_id=r.faculty_id,
                    reason=r.reason,
                    correction_late=r.correction_late,
                    completed_at=text(r.completed_at),
                )
                for r in reopens
            ],
            measures=[measure_pb(m) for m in measures],
        )

    async def ConfirmSanction(
        self, request: pb.ConfirmSanctionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ConfirmSanctionResponse:
        row = await sanctions.confirm(
            self.deps,
            current_principal(),
            sanctions.ConfirmSanction(proposal_id=request.proposal_id, reference=request.reference),
        )
        return pb.ConfirmSanctionResponse(
            proposal=pb.SanctionProposal(
                proposal_id=row.proposal_id,
                subject=row.subject,
                subject_id=row.subject_id,
                term_id=row.term_id,
                count=row.count,
                measure=row.measure,
                case_id=row.case_id,
                status=row.status,
                reference=row.reference,
                confirmed_by=row.confirmed_by,
                confirmed_at=text(row.confirmed_at),
            )
        )

    async def RecordCorrectiveMeasure(
        self, request: pb.RecordCorrectiveMeasureRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.RecordCorrectiveMeasureResponse:
        measure = await sanctions.record_measure(
            self.deps,
            current_principal(),
            sanctions.RecordCorrectiveMeasure(
                request_id=request.request_id,
                kind=request.kind,
                description=request.description,
                scope_type=request.scope_type,
                scope_id=request.scope_id,
                term_id=request.term_id,
                case_id=request.case_id,
            ),
        )
        return pb.RecordCorrectiveMeasureResponse(measure=measure_pb(measure))

    async def ListJournalChecks(
        self, request: pb.ListJournalChecksRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListJournalChecksResponse:
        filters = [request.week_start, request.teacher_id, request.department_id, request.faculty_id]
        rows, next_token = await checks.list_checks(
            self.deps,
            current_principal(),
            request.week_start,
            request.teacher_id,
            request.department_id,
            request.faculty_id,
            page_request(request.page_size, request.page_token, filters),
        )
        return pb.ListJournalChecksResponse(
            checks=[
                pb.JournalCheck(
                    week_start=r.week_start.isoformat(),
                    journal_id=r.journal_id,
                    teacher_ids=list(r.teacher_ids),
                    department_id=r.department_id,
                    faculty_id=r.faculty_id,
                    lessons=r.lessons,
                    lessons_filled=r.lessons_filled,
                    filled_percent=str(r.filled_percent),
                    attendance_percent=str(r.attendance_percent),
                    findings=list(r.findings),
                    keyed_findings=[
                        ev.KeyedText(key=f["key"], values=f.get("values", {})) for f in r.keyed_findings
                    ],
                )
                for r in rows
            ],
            next_page_token=next_token,
        )


def measure_pb(m: Any) -> pb.CorrectiveMeasure:
    return pb.CorrectiveMeasure(
        measure_id=m.measure_id,
        kind=m.kind,
        description=m.description,
        scope_type=m.scope_type,
        scope_id=m.scope_id,
        term_id=m.term_id,
        case_id=m.case_id,
        recorded_by=m.recorded_by,
        recorded_at=text(m.recorded_at),
    )
