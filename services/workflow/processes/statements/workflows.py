"""Statement deadline of one final control (KZ-15): remind the teachers, escalate to the department
head, and on the deadline form the statement of every complete journal or record the lateness of an
incomplete one. A registrar's move of the final control's closing deadline arrives as an update and
moves this deadline too (its alerts are planned again from it). Deterministic: timers and activities
only."""

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.domain.closing import check_move
    from services.workflow.domain.statement_deadline import Alert, alert_plan
    from services.workflow.processes.reopen.workflows import checked
    from services.workflow.processes.statements.activities import StatementActivities
    from services.workflow.processes.statements.messages import (
        AlertInput,
        MoveStatementDeadline,
        SettleInput,
        SettleResult,
        StatementDeadlineInput,
        StatementDeadlineView,
    )
    from services.workflow.search_attributes import CONTROL_EVENT_ID, DEPARTMENT_ID, FACULTY_ID, STEP

RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))


@workflow.defn(name="StatementDeadline")
class StatementDeadlineWorkflow:
    @workflow.init
    def __init__(self, input: StatementDeadlineInput) -> None:
        self._input = input
        self._deadline = input.deadline
        self._revision = input.revision
        self._alerts: list[str] = []
        self._sent: set[str] = set()
        self._moves: list[str] = []
        self._moved = False
        self._settling = False
        self._result: SettleResult | None = None

    def _next_alert(self) -> Alert | None:
        """The first alert of the current deadline not sent yet (one whose time passed is still due)."""
        plan = alert_plan(self._input.remind_hours_before, self._input.escalate_hours_before)
        deadline = self._deadline
        due = [a for a in plan if a.at(deadline) < deadline and self._key(a) not in self._sent]
        return due[0] if due else None

    def _key(self, alert: Alert) -> str:
        return f"{alert.kind}@{alert.hours_before}h@{self._deadline.isoformat()}"

    @workflow.run
    async def run(self, input: StatementDeadlineInput) -> StatementDeadlineView:
        workflow.upsert_search_attributes(
            [
                CONTROL_EVENT_ID.value_set(input.control_event_id),
                DEPARTMENT_ID.value_set(input.department_id),
                FACULTY_ID.value_set(input.faculty_id),
                STEP.value_set("statement_due"),
            ]
        )
        timeout = timedelta(seconds=input.activity_timeout_seconds)
        while True:
            alert = self._next_alert()
            wake_at = alert.at(self._deadline) if alert else self._deadline
            now = workflow.now()
            if wake_at > now:
                self._moved = False
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._moved, timeout=wake_at - now)
                if self._moved:
                    continue  # the deadline moved: plan again from the new one
            if alert is None:
                break
            self._sent.add(self._key(alert))
            await workflow.execute_activity_method(
                StatementActivities.alert,
                AlertInput(
                    input.control_event_id,
                    input.event_date,
                    self._deadline,
                    alert.kind,
                    alert.hours_before,
                    input.department_id,
                    input.faculty_id,
                    input.kind,
                ),
                start_to_close_timeout=timeout,
                retry_policy=RETRY,
            )
            self._alerts.append(f"{alert.kind}@{alert.hours_before}h")
        self._settling = True  # from here a move is refused: the statements are being formed
        self._result = await workflow.execute_activity_method(
            StatementActivities.settle,
            SettleInput(
                input.control_event_id,
                input.event_date,
                self._deadline,
                input.department_id,
                input.faculty_id,
                input.kind,
            ),
            start_to_close_timeout=timeout,
            retry_policy=RETRY,
        )
        workflow.upsert_search_attributes([STEP.value_set("statement_settled")])
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.view()

    @workflow.update
    def move_deadline(self, request: MoveStatementDeadline) -> StatementDeadlineView:
        self._check(request)
        old: datetime = self._deadline
        self._deadline, self._revision, self._moved = request.new_deadline, request.revision, True
        self._moves.append(
            f"{workflow.now().isoformat()} {request.changed_by}: {old.isoformat()} -> "
            f"{request.new_deadline.isoformat()} ({request.reason})"
        )
        return self.view()

    @move_deadline.validator
    def _validate_move(self, request: MoveStatementDeadline) -> None:
        self._check(request)

    def _check(self, request: MoveStatementDeadline) -> None:
        checked(lambda: check_move(self._settling, self._revision, request.revision, request.new_deadline))

    @workflow.query
    def view(self) -> StatementDeadlineView:
        result = self._result
        return StatementDeadlineView(
            control_event_id=self._input.control_event_id,
            deadline=self._deadline,
            alerts_sent=tuple(self._alerts),
            settled=result is not None,
            formed=result.formed if result else (),
            late=result.late if result else (),
            revision=self._revision,
            event_date=self._input.event_date,
            profile_code=self._input.profile_code,
            moves=tuple(self._moves),
        )
