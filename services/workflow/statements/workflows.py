"""Statement deadline of one final control (KZ-15): remind the teachers, escalate to the department
head, and on the deadline form the statement of every complete journal or record the lateness of an
incomplete one. Deterministic: timers and activities only."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.domain.statement_deadline import alert_plan
    from services.workflow.search_attributes import CONTROL_EVENT_ID, DEPARTMENT_ID, FACULTY_ID, STEP
    from services.workflow.statements.activities import SEND_ALERT, SETTLE
    from services.workflow.statements.messages import (
        AlertInput,
        AlertResult,
        SettleInput,
        SettleResult,
        StatementDeadlineInput,
        StatementDeadlineView,
    )

RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))


@workflow.defn(name="StatementDeadline")
class StatementDeadlineWorkflow:
    @workflow.init
    def __init__(self, input: StatementDeadlineInput) -> None:
        self._input = input
        self._alerts: list[str] = []
        self._result: SettleResult | None = None

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
        for alert in alert_plan(input.remind_hours_before, input.escalate_hours_before):
            at = alert.at(input.deadline)
            if at >= input.deadline:
                continue
            if at > workflow.now():
                await workflow.sleep(at - workflow.now())
            # An alert whose time passed before the process started (a late start) is still sent once.
            await workflow.execute_activity(
                SEND_ALERT,
                AlertInput(
                    input.control_event_id,
                    input.event_date,
                    input.deadline,
                    alert.kind,
                    alert.hours_before,
                    input.department_id,
                    input.faculty_id,
                ),
                result_type=AlertResult,
                start_to_close_timeout=timeout,
                retry_policy=RETRY,
            )
            self._alerts.append(f"{alert.kind}@{alert.hours_before}h")
        if input.deadline > workflow.now():
            await workflow.sleep(input.deadline - workflow.now())
        self._result = await workflow.execute_activity(
            SETTLE,
            SettleInput(
                input.control_event_id,
                input.event_date,
                input.deadline,
                input.department_id,
                input.faculty_id,
            ),
            result_type=SettleResult,
            start_to_close_timeout=timeout,
            retry_policy=RETRY,
        )
        workflow.upsert_search_attributes([STEP.value_set("statement_settled")])
        return self.view()

    @workflow.query
    def view(self) -> StatementDeadlineView:
        result = self._result
        return StatementDeadlineView(
            control_event_id=self._input.control_event_id,
            deadline=self._input.deadline,
            alerts_sent=tuple(self._alerts),
            settled=result is not None,
            formed=result.formed if result else (),
            late=result.late if result else (),
        )
