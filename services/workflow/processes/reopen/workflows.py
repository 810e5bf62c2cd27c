"""The reopen procedure (KZ-08, KZ-13): one workflow per case. Deterministic: no I/O, no clocks but
workflow.now(), logging through workflow.logger; every effect goes through an activity.

Human steps are updates whose validators refuse the wrong role or scope, self-approval and steps out
of order before anything is written to the history. Deadlines are `wait_condition` timeouts: the
council's lapse escalates (never approves), the correction's lapse re-closes the section.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeUpdate
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from ejournal_platform.errors import DomainError
    from services.workflow.domain.notices import notices_for
    from services.workflow.domain.reopen_case import ReopenCase, Step
    from services.workflow.processes.reopen.activities import ReopenActivities
    from services.workflow.processes.reopen.messages import (
        CaseOutcome,
        CaseView,
        CorrectionRequest,
        CountReopenInput,
        DecisionRequest,
        EndReopenInput,
        GrantInput,
        ReopenCaseInput,
        ReopenRequest,
        StepRecord,
        VisaRequest,
        WithdrawRequest,
    )
    from services.workflow.processes.reopen.views import view_of
    from services.workflow.search_attributes import (
        DEPARTMENT_ID,
        FACULTY_ID,
        JOURNAL_ID,
        OVERDUE,
        STEP,
        TEACHER_ID,
    )


# Patches (workflow.patched): a change of the commands a workflow issues is guarded, so cases started
# before it replay as they ran (services/workflow/tests/histories holds histories of both).
ONLY_CHANGED_ATTRIBUTES = "upsert-only-changed-search-attributes"

# Activities retry until they succeed (every one is idempotent); a failing gradebook delays, never loses.
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))


def refusal(error: DomainError) -> ApplicationError:
    """A domain refusal as the update's failure; the service layer turns it back into the error."""
    return ApplicationError(
        error.message, error.field or "", error.reason, type=type(error).__name__, non_retryable=True
    )


def checked(check: Callable[[], None]) -> None:
    try:
        check()
    except DomainError as error:
        raise refusal(error) from None


@workflow.defn(name="ReopenCase")
class ReopenCaseWorkflow:
    @workflow.init
    def __init__(self, input: ReopenCaseInput) -> None:
        self._input = input
        self._case = ReopenCase.receive(
            input.facts,
            input.explanation,
            input.terms,
            input.received_at or workflow.now(),
            input.late_admission,
        )
        self._recorded = input.recorded_up_to
        self._record_lock = asyncio.Lock()

    @workflow.run
    async def run(self, input: ReopenCaseInput) -> CaseOutcome:
        case = self._case
        self._upsert(
            [
                JOURNAL_ID.value_set(case.facts.journal_id),
                TEACHER_ID.value_set(case.facts.teacher_id),
                DEPARTMENT_ID.value_set(case.facts.department_id),
                FACULTY_ID.value_set(case.facts.faculty_id),
            ]
        )
        await self._after_step()

        # KZ-13.2: visas and the council's decision within review_days of receipt; never by default.
        if not await self._wait_until(lambda: case.step != Step.REVIEW, case.review_due):
            case.mark_review_overdue(workflow.now())
            workflow.logger.info("reopen case %s overdue at review: escalated", case.facts.case_id)
            await self._after_step()
            await workflow.wait_condition(lambda: case.step != Step.REVIEW)

        # KZ-13.3: the registrar reopens (or the teacher withdraws meanwhile).
        await workflow.wait_condition(lambda: case.step != Step.APPROVED)
        if case.step == Step.REOPENING:
            await self._reopen_and_correct()

        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._after_step()
        return CaseOutcome(case.facts.case_id, case.step.value, case.end_reason, case.correction_late)

    async def _reopen_and_correct(self) -> None:
        case = self._case
        # Access counts from the grant's request: the grant expires exactly at the correction deadline,
        # so the gradebook enforces the same instant even if this worker were down then.
        granted_at = workflow.now()
        grant = await workflow.execute_activity_method(
            ReopenActivities.grant,
            GrantInput(
                case.facts.case_id,
                case.facts.teacher_id,
                case.facts.journal_id,
                case.facts.section,
                granted_at + timedelta(days=case.terms.correction_days),
                case.explanation.reason,
            ),
            start_to_close_timeout=self._timeout(),
            retry_policy=RETRY,
        )
        case.granted(grant.grant_id, granted_at)
        await self._after_step()

        # KZ-13.4: correction and individual statement within correction_days, else re-close anyway.
        due = case.correction_due
        assert due is not None
        if not await self._wait_until(lambda: case.step != Step.CORRECTING, due):
            case.correction_deadline_passed(workflow.now())
            await self._after_step()
        ended = await workflow.execute_activity_method(
            ReopenActivities.end,
            EndReopenInput(
                case.facts.case_id,
                "correction deadline passed" if case.correction_late else "corrected by the teacher",
                case.correction_late,
            ),
            start_to_close_timeout=self._timeout(),
            retry_policy=RETRY,
        )
        case.reclose(workflow.now(), ended.statement_id)
        await self._after_step()

        # KZ-10, KZ-14: count the reopen and let the ladder propose measures.
        counted = await workflow.execute_activity_method(
            ReopenActivities.count,
            CountReopenInput(
                case.facts.case_id,
                case.facts.teacher_id,
                case.facts.department_id,
                case.facts.faculty_id,
                case.facts.term_id,
                case.facts.profile_code,
                case.explanation.reason,
                case.correction_late,
                workflow.now(),
            ),
            start_to_close_timeout=self._timeout(),
            retry_policy=RETRY,
        )
        now = workflow.now()
        case.note(
            now,
            "reopen_counted",
            f"reopen no. {counted.teacher_count} of the teacher and no. {counted.department_count} of the "
            f"department in term {case.facts.term_id}",
        )
        for proposal in counted.proposals:
            case.note(
                now,
                "sanction_proposed",
                f"{proposal.subject.value} {proposal.subject_id}: {proposal.measure} "
                f"(reopen no. {proposal.count}); proposal {proposal.proposal_id}",
            )

    # -- human steps ---------------------------------------------------------------------------

    @workflow.update
    async def add_visa(self, request: VisaRequest) -> CaseView:
        checked(
            lambda: self._case.add_visa(
                request.actor, request.role, request.approve, request.comment, workflow.now()
            )
        )
        await self._after_step()
        return self.view()

    @add_visa.validator
    def _validate_visa(self, request: VisaRequest) -> None:
        checked(lambda: self._case.check_visa(request.actor, request.role, request.approve, request.comment))

    @workflow.update
    async def decide(self, request: DecisionRequest) -> CaseView:
        checked(
            lambda: self._case.decide(
                request.actor, request.approve, request.protocol, request.reason, workflow.now()
            )
        )
        await self._after_step()
        return self.view()

    @decide.validator
    def _validate_decision(self, request: DecisionRequest) -> None:
        checked(
            lambda: self._case.check_decision(
                request.actor, request.approve, request.protocol, request.reason
            )
        )

    @workflow.update
    async def reopen(self, request: ReopenRequest) -> CaseView:
        checked(lambda: self._case.start_reopening(request.actor, workflow.now()))
        await self._after_step()
        # Answer once the grant exists and is recorded, so the registrar sees the journal reopened.
        await workflow.wait_condition(lambda: self._case.step != Step.REOPENING and self._all_recorded())
        return self.view()

    @reopen.validator
    def _validate_reopen(self, request: ReopenRequest) -> None:
        checked(lambda: self._case.check_reopen(request.actor))

    @workflow.update
    async def submit_correction(self, request: CorrectionRequest) -> CaseView:
        checked(lambda: self._case.submit_correction(request.actor, request.note, workflow.now()))
        await self._after_step()
        # Answer once the section is closed again with its individual statement, and recorded.
        await workflow.wait_condition(lambda: self._case.ended and self._all_recorded())
        return self.view()

    @submit_correction.validator
    def _validate_correction(self, request: CorrectionRequest) -> None:
        checked(lambda: self._case.check_correction(request.actor, request.note))

    @workflow.update
    async def withdraw(self, request: WithdrawRequest) -> CaseView:
        checked(lambda: self._case.withdraw(request.actor, request.reason, workflow.now()))
        await self._after_step()
        return self.view()

    @withdraw.validator
    def _validate_withdraw(self, request: WithdrawRequest) -> None:
        checked(lambda: self._case.check_withdraw(request.actor, request.reason))

    @workflow.query
    def view(self) -> CaseView:
        return view_of(self._case, workflow.now())

    # -- helpers -------------------------------------------------------------------------------

    def _upsert(self, updates: list[SearchAttributeUpdate[Any]]) -> None:
        """Upsert search attributes; cases started since ONLY_CHANGED_ATTRIBUTES skip values already set
        (at start, by SubmitExplanation, or by an earlier step): fewer commands, fewer visibility writes."""
        if workflow.patched(ONLY_CHANGED_ATTRIBUTES):
            current = workflow.info().typed_search_attributes
            updates = [u for u in updates if current.get(u.key) != u.value]
        if updates:
            workflow.upsert_search_attributes(updates)

    def _all_recorded(self) -> bool:
        return self._recorded >= len(self._case.history)

    async def _wait_until(self, done: Callable[[], bool], deadline: datetime) -> bool:
        """Wait for `done` until the deadline; False when the deadline came first."""
        remaining = deadline - workflow.now()
        if remaining <= timedelta(0):
            return done()
        try:
            await workflow.wait_condition(done, timeout=remaining)
        except TimeoutError:
            return done()
        return True

    async def _after_step(self) -> None:
        """Upsert the step's search attributes, then record new history entries and their notices."""
        case = self._case
        self._upsert([STEP.value_set(case.step.value), OVERDUE.value_set(case.overdue(workflow.now()))])
        async with self._record_lock:
            entries = tuple(case.history[self._recorded :])
            if not entries:
                return
            notices = tuple(notice for entry in entries for notice in notices_for(case, entry))
            done = await workflow.execute_activity_method(
                ReopenActivities.record_step,
                StepRecord(self.view(), entries, notices),
                start_to_close_timeout=self._timeout(),
                retry_policy=RETRY,
            )
            self._recorded = max(self._recorded, done.recorded_up_to)

    def _timeout(self) -> timedelta:
        return timedelta(seconds=self._input.activity_timeout_seconds)
