"""Closing deadline of one control event (KZ-05, KZ-06): reminders to teachers with unfilled cells
before the deadline, then every section of the event closes. A registrar's change of the deadline
(curriculum's CalendarDeadlineChanged) arrives as an update and moves the timer. Deterministic."""

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.domain.closing import check_move, next_reminder, reminder_key, superseded_by_due
    from services.workflow.processes.closing.activities import ClosingActivities
    from services.workflow.processes.closing.messages import (
        CloseSectionsInput,
        ClosingInput,
        ClosingView,
        MoveDeadlineRequest,
        ReminderInput,
        idempotency_key,
    )
    from services.workflow.processes.reopen.workflows import checked
    from services.workflow.search_attributes import CONTROL_EVENT_ID, DEPARTMENT_ID, FACULTY_ID, STEP

RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))


@workflow.defn(name="ClosingDeadline")
class ClosingDeadlineWorkflow:
    @workflow.init
    def __init__(self, input: ClosingInput) -> None:
        self._input = input
        self._deadline = input.closing_deadline
        self._revision = input.revision
        self._sent: set[str] = set()
        self._reminded_hours: list[int] = []
        self._moves: list[str] = []
        self._moved = False
        self._closing = False
        self._closed_at: datetime | None = None
        self._sections_closed = 0

    @workflow.run
    async def run(self, input: ClosingInput) -> ClosingView:
        workflow.upsert_search_attributes(
            [
                CONTROL_EVENT_ID.value_set(input.control_event_id),
                DEPARTMENT_ID.value_set(input.department_id),
                FACULTY_ID.value_set(input.faculty_id),
                STEP.value_set("scheduled"),
            ]
        )
        while workflow.now() < self._deadline:
            now = workflow.now()
            upcoming = next_reminder(self._deadline, input.reminder_hours_before, frozenset(self._sent), now)
            wake_at = upcoming[1] if upcoming else self._deadline
            self._moved = False
            if wake_at > now:
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._moved, timeout=wake_at - now)
                if self._moved:
                    continue  # the deadline moved: plan again from the new one
            if upcoming and workflow.now() < self._deadline:
                await self._remind(upcoming[0])

        self._closing = True  # from here a move of the deadline is refused
        result = await workflow.execute_activity_method(
            ClosingActivities.close,
            CloseSectionsInput(
                input.control_event_id,
                self._deadline,
                "closing deadline (KZ-05)",
                idempotency_key(input.control_event_id, input.journal_id),
                input.journal_id,
            ),
            start_to_close_timeout=timedelta(seconds=input.activity_timeout_seconds),
            retry_policy=RETRY,
        )
        self._closed_at = workflow.now()
        self._sections_closed = result.sections_closed
        workflow.upsert_search_attributes([STEP.value_set("closed")])
        workflow.logger.info(
            "control event %s closed: %s sections", input.control_event_id, result.sections_closed
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.view()

    async def _remind(self, hours_before: int) -> None:
        deadline, now = self._deadline, workflow.now()
        for skipped in [
            hours_before,
            *superseded_by_due(deadline, self._input.reminder_hours_before, hours_before, now),
        ]:
            self._sent.add(reminder_key(skipped, deadline))
        await workflow.execute_activity_method(
            ClosingActivities.remind,
            ReminderInput(
                self._input.control_event_id,
                deadline,
                hours_before,
                self._revision,
                self._input.event_date,
                self._input.kind,
            ),
            start_to_close_timeout=timedelta(seconds=self._input.activity_timeout_seconds),
            retry_policy=RETRY,
        )
        self._reminded_hours.append(hours_before)

    @workflow.update
    def move_deadline(self, request: MoveDeadlineRequest) -> ClosingView:
        checked(lambda: check_move(self._closing, self._revision, request.revision, request.new_deadline))
        old = self._deadline
        self._deadline = request.new_deadline
        self._revision = request.revision
        self._moved = True
        self._moves.append(
            f"{workflow.now().isoformat()} {request.changed_by}: {old.isoformat()} -> "
            f"{request.new_deadline.isoformat()} ({request.reason})"
        )
        return self.view()

    @move_deadline.validator
    def _validate_move(self, request: MoveDeadlineRequest) -> None:
        checked(lambda: check_move(self._closing, self._revision, request.revision, request.new_deadline))

    @workflow.query
    def view(self) -> ClosingView:
        return ClosingView(
            control_event_id=self._input.control_event_id,
            deadline=self._deadline,
            revision=self._revision,
            reminders_sent=tuple(self._reminded_hours),
            closed=self._closed_at is not None,
            closed_at=self._closed_at,
            sections_closed=self._sections_closed,
            moves=tuple(self._moves),
        )
