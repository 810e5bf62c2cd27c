"""Use cases of the reopen procedure: open a case, admit a late explanation, the human steps, a case.

Who may do a step is decided twice, the same way: here for the steps that start nothing (read the
case, admit late), and in the workflow's update validators for the steps of a running case, from the
caller's verified grants passed in as an Actor. A refused call changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ejournal_platform.authz import refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ejournal_platform.pagination import Page, page_request
from ejournal_regulation import get_profile
from services.workflow.adapters import case_store, section_store
from services.workflow.adapters.case_processes import CaseEnded
from services.workflow.domain.actors import Actor, oversees
from services.workflow.domain.notices import notices_for
from services.workflow.domain.reopen_case import ReopenCase
from services.workflow.domain.reopen_facts import (
    CaseFacts,
    Explanation,
    LateAdmission,
    ReopenTerms,
    check_explanation_in_time,
)
from services.workflow.processes.reopen.messages import (
    CaseView,
    CorrectionRequest,
    DecisionRequest,
    ReopenCaseInput,
    ReopenRequest,
    StepRecord,
    VisaRequest,
    WithdrawRequest,
)
from services.workflow.processes.reopen.views import view_of
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.service_layer import case_records
from services.workflow.service_layer.access import actor_of
from services.workflow.service_layer.deps import Deps

MAX_CASES = 1000

CASE_IDS = uuid.UUID("8a4f6a1e-3f7e-4c55-9f0e-2b1f3e0c7d11")


def terms_of(profile_code: str) -> ReopenTerms:
    """KZ-13 deadlines and roles from the regulation profile (never constants here)."""
    reopen = get_profile(profile_code).reopen
    if not reopen.allowed or not (reopen.explanation_days and reopen.review_days and reopen.correction_days):
        raise FailedPrecondition(
            f"regulation profile {profile_code} has no reopen procedure", field="journal_id"
        )
    return ReopenTerms.from_profile(
        reopen.explanation_days,
        reopen.review_days,
        reopen.correction_days,
        reopen.approvals,
        reopen.granted_by,
    )


def case_input(view: CaseView, activity_timeout_seconds: float) -> ReopenCaseInput:
    """The workflow's input for a case whose row is recorded (by SubmitExplanation, or found by the
    reconciler without its workflow): it starts after the entries recorded with the row."""
    return ReopenCaseInput(
        view.facts,
        view.explanation,
        terms_of(view.facts.profile_code),
        view.late_admission,
        activity_timeout_seconds,
        view.received_at,
        recorded_up_to=sum(1 for e in view.history if e.action in ("submitted", "admitted_late")),
    )


@dataclass(frozen=True, kw_only=True)
class SubmitExplanation:
    request_id: str
    journal_id: str
    section: str
    explanation: Explanation


@dataclass(frozen=True, kw_only=True)
class AdmitLateExplanation:
    journal_id: str
    section: str
    teacher_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class AddVisa:
    case_id: str
    role: str
    approve: bool
    comment: str


@dataclass(frozen=True, kw_only=True)
class RecordCouncilDecision:
    case_id: str
    approve: bool
    protocol: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReopenJournal:
    case_id: str


@dataclass(frozen=True, kw_only=True)
class SubmitCorrection:
    case_id: str
    note: str


@dataclass(frozen=True, kw_only=True)
class WithdrawCase:
    case_id: str
    reason: str


async def submit_explanation(deps: Deps, principal: Principal | None, cmd: SubmitExplanation) -> CaseView:
    actor = actor_of(principal)
    if not cmd.request_id.strip():
        raise InvalidArgument("request_id", "is required (a retry with the same id returns the same case)")
    explanation, journal_id, section = cmd.explanation, cmd.journal_id, cmd.section
    explanation.validate()
    now = deps.clock()
    async with deps.unit_of_work() as uow:
        session = uow.session
        # Someone else's journal and a journal that does not exist are refused alike, before
        # anything about its sections is said (issue 13).
        if actor.person_id not in await section_store.journal_teachers(session, journal_id):
            raise refusal("reopen.request")
        closed = await section_store.closed_section(session, journal_id, section)
        if closed is None:
            raise FailedPrecondition(
                f"section {section} of journal {journal_id} is not closed: nothing to reopen",
                field="section",
            )
        if actor.person_id not in closed.teacher_ids:
            raise PermissionDenied("only a teacher of this journal asks to reopen it", field="journal_id")
        wrong = explanation.mismatches(
            closed.group_name,
            closed.previous_date,
            closed.event_date,
            specialty=closed.specialty_name,
            specialty_code=closed.specialty_code,
        )
        if wrong:
            raise ValidationFailed("the explanation does not match its journal", wrong)
        terms = terms_of(closed.profile_code)
        admission = await section_store.late_admission(session, journal_id, section, actor.person_id)
        check_explanation_in_time(now, closed.closed_at, terms, admission)
        case_id = str(uuid.uuid5(CASE_IDS, f"{actor.person_id}/{cmd.request_id}"))
        facts = CaseFacts(
            case_id,
            journal_id,
            section,
            actor.person_id,
            closed.department_id,
            closed.faculty_id,
            closed.term_id,
            closed.profile_code,
            closed.closed_at,
            closed.university_id,
        )
        case = ReopenCase.receive(facts, explanation, terms, now, admission)
        view = view_of(case, now)
        created = await case_store.insert_case(
            session, case_store.NewCase(view, actor.person_id, cmd.request_id)
        )
        if created is None:
            other = await case_store.open_case_of_section(session, journal_id, section)
            raise AlreadyExists(f"reopen case {other} of this section is still open", field="section")
        if created:
            # The receipt is recorded with the row (history, step event, visa requests), so the
            # workflow starts from there and opening a case costs no activity.
            notices = tuple(n for entry in case.history for n in notices_for(case, entry))
            await case_records.write_step(uow, StepRecord(view, tuple(case.history), notices))
            await uow.commit()
        else:  # the same request again: the case it made
            found = await case_store.get_case(session, case_id)
            assert found is not None
            view = found[0]
    await deps.cases.start(case_input(view, deps.activity_timeout_seconds))
    return view


async def admit_late(deps: Deps, principal: Principal | None, cmd: AdmitLateExplanation) -> LateAdmission:
    actor = actor_of(principal)
    if not cmd.reason.strip():
        raise InvalidArgument("reason", "say why the late explanation is admitted")
    async with deps.unit_of_work() as uow:
        closed = await section_store.closed_section(uow.session, cmd.journal_id, cmd.section)
        # A section that is not closed (or not there) is refused like one of another faculty:
        # only the registrar head over a closed section learns anything about it (issue 13).
        if closed is None or not actor.holds(
            "registrar_head",
            faculty_id=closed.faculty_id,
            department_id=closed.department_id,
            university_id=closed.university_id,
        ):
            raise refusal("reopen.admit_late")
        if cmd.teacher_id not in closed.teacher_ids:
            raise InvalidArgument("teacher_id", "is not a teacher of this journal")
        admission = LateAdmission(actor.person_id, deps.clock(), cmd.reason)
        admitted = await section_store.admit_late(
            uow.session, cmd.journal_id, cmd.section, cmd.teacher_id, admission
        )
        await uow.commit()
    return admitted


async def add_visa(deps: Deps, principal: Principal | None, cmd: AddVisa) -> CaseView:
    request = VisaRequest(actor_of(principal), cmd.role, cmd.approve, cmd.comment)
    return await _step(deps, cmd.case_id, ReopenCaseWorkflow.add_visa, request, "reopen.endorse")


async def decide(deps: Deps, principal: Principal | None, cmd: RecordCouncilDecision) -> CaseView:
    request = DecisionRequest(actor_of(principal), cmd.approve, cmd.protocol, cmd.reason)
    return await _step(deps, cmd.case_id, ReopenCaseWorkflow.decide, request, "reopen.decide")


async def reopen(deps: Deps, principal: Principal | None, cmd: ReopenJournal) -> CaseView:
    request = ReopenRequest(actor_of(principal))
    return await _step(deps, cmd.case_id, ReopenCaseWorkflow.reopen, request, "reopen.grant")


async def submit_correction(deps: Deps, principal: Principal | None, cmd: SubmitCorrection) -> CaseView:
    request = CorrectionRequest(actor_of(principal), cmd.note)
    return await _step(deps, cmd.case_id, ReopenCaseWorkflow.submit_correction, request, "reopen.request")


async def withdraw(deps: Deps, principal: Principal | None, cmd: WithdrawCase) -> CaseView:
    request = WithdrawRequest(actor_of(principal), cmd.reason)
    return await _step(deps, cmd.case_id, ReopenCaseWorkflow.withdraw, request, "reopen.request")


async def list_my_cases(
    deps: Deps, principal: Principal | None, page: Page | None = None
) -> tuple[list[CaseView], str]:
    """The caller's own cases as the teacher who explained (anyone signed in gets only theirs): one
    page, newest first, and the next page's token."""
    actor = actor_of(principal)
    async with deps.unit_of_work() as uow:
        return await case_store.list_teacher_cases(uow.session, actor.person_id, page or page_request(0, ""))


async def get_case(deps: Deps, principal: Principal | None, case_id: str) -> CaseView:
    return await _visible(deps, actor_of(principal), case_id, "reopen.read")


async def _visible(deps: Deps, actor: Actor, case_id: str, action: str) -> CaseView:
    """The case, if the caller may see it (its teacher, or oversight over its faculty or department);
    a missing case is refused with the same words as someone else's (issue 13)."""
    try:
        view = await _stored(deps, case_id)
    except NotFound:
        raise refusal(action) from None
    f = view.facts
    if actor.person_id == f.teacher_id or oversees(actor, f.faculty_id, f.department_id, f.university_id):
        return view
    raise refusal(action)


async def _step(deps: Deps, case_id: str, update: Any, request: Any, action: str) -> CaseView:
    if not case_id.strip():
        raise InvalidArgument("case_id", "is required")
    # A case the caller cannot see is refused like a missing one, before the step's own rules.
    await _visible(deps, request.actor, case_id, action)
    try:
        return await deps.cases.update(case_id, update, request)
    except CaseEnded:
        # The workflow has completed; its last record says how it ended.
        view = await _stored(deps, case_id)
        raise FailedPrecondition(
            f"the case has ended ({view.step}: {view.end_reason}); nothing more can be done on it",
            field="case_id",
        ) from None


async def _stored(deps: Deps, case_id: str) -> CaseView:
    async with deps.unit_of_work() as uow:
        found = await case_store.get_case(uow.session, case_id)
    if found is None:
        raise NotFound(f"no reopen case {case_id}", field="case_id")
    return found[0]
