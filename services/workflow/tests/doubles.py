"""Test doubles of the workflow's activities (same names as the real ones) and of the gradebook port.

Standard Temporal testing: the workflow runs for real on a real server; its effects are recorded here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from temporalio import activity

from services.workflow.domain.sanctions import Proposal, Subject
from services.workflow.processes.closing.activities import CLOSE_SECTIONS, SEND_REMINDER
from services.workflow.processes.closing.messages import (
    CloseSectionsInput,
    CloseSectionsResult,
    ReminderInput,
    ReminderResult,
)
from services.workflow.processes.monitoring.activities import DAILY_CHECK, WEEKLY_CHECK
from services.workflow.processes.monitoring.messages import (
    DailyCheckResult,
    DayCheckRequest,
    FillStatus,
    FillStatusInput,
    WeekCheckRequest,
    WeeklyCheckResult,
)
from services.workflow.processes.reconcile.activities import RECONCILE_CASES
from services.workflow.processes.reconcile.messages import ReconcileInput, ReconcileResult
from services.workflow.processes.reopen.activities import COUNT_REOPEN, END_REOPEN, GRANT_REOPEN, RECORD_STEP
from services.workflow.processes.reopen.messages import (
    CountReopenInput,
    CountReopenResult,
    EndReopenInput,
    EndReopenResult,
    GrantInput,
    GrantResult,
    StepRecord,
    StepRecorded,
)
from services.workflow.processes.statements.activities import SEND_ALERT, SETTLE
from services.workflow.processes.statements.messages import AlertInput, AlertResult, SettleInput, SettleResult


@dataclass
class FakeGradebook:
    """The gradebook's side of the port, idempotent like the real one (grants by case id)."""

    grants: dict[str, GrantInput] = field(default_factory=dict)
    grant_calls: int = 0
    ended: dict[str, EndReopenInput] = field(default_factory=dict)
    closed: dict[str, CloseSectionsInput] = field(default_factory=dict)
    close_calls: list[CloseSectionsInput] = field(default_factory=list)
    status: FillStatus = field(default_factory=FillStatus)
    status_requests: list[FillStatusInput] = field(default_factory=list)

    async def grant_reopen(self, request: GrantInput) -> GrantResult:
        self.grant_calls += 1
        self.grants.setdefault(request.case_id, request)
        return GrantResult(f"grant-{request.case_id}")

    async def end_reopen(self, request: EndReopenInput) -> EndReopenResult:
        self.ended.setdefault(request.case_id, request)
        return EndReopenResult(f"statement-{request.case_id}")

    async def close_sections(self, request: CloseSectionsInput) -> CloseSectionsResult:
        self.close_calls.append(request)
        self.closed.setdefault(request.idempotency_key, request)
        return CloseSectionsResult(2)

    async def fill_status(self, request: FillStatusInput) -> FillStatus:
        """Like GetFillStatus: the journals matching the filter, their days within the dates."""
        self.status_requests.append(request)
        found = []
        for j in self.status.journals:
            if request.journal_id and j.journal_id != request.journal_id:
                continue
            if request.department_id and j.department_id != request.department_id:
                continue
            if request.teacher_id and request.teacher_id not in j.teacher_ids:
                continue
            days = tuple(
                d
                for d in j.days
                if (not request.from_date or d.date >= request.from_date)
                and (not request.to_date or d.date <= request.to_date)
            )
            found.append(replace(j, days=days))
        return FillStatus(tuple(found))


@dataclass
class ReopenDoubles:
    """The reopen activities as doubles: records steps in memory, counts with the kz-medical ladder."""

    gradebook: FakeGradebook = field(default_factory=FakeGradebook)
    records: list[StepRecord] = field(default_factory=list)
    counted: list[CountReopenInput] = field(default_factory=list)
    grant_gate: asyncio.Event | None = None

    def actions(self) -> list[str]:
        return [e.action for r in self.records for e in r.new_entries]

    def notices(self) -> list[Any]:
        return [n for r in self.records for n in r.notices]

    def activities(self) -> list[Callable[..., Any]]:
        @activity.defn(name=RECORD_STEP)
        async def record_step(record: StepRecord) -> StepRecorded:
            self.records.append(record)
            return StepRecorded(max(e.seq for e in record.new_entries))

        @activity.defn(name=GRANT_REOPEN)
        async def grant(request: GrantInput) -> GrantResult:
            if self.grant_gate is not None:
                await self.grant_gate.wait()
            return await self.gradebook.grant_reopen(request)

        @activity.defn(name=END_REOPEN)
        async def end(request: EndReopenInput) -> EndReopenResult:
            return await self.gradebook.end_reopen(request)

        @activity.defn(name=COUNT_REOPEN)
        async def count(request: CountReopenInput) -> CountReopenResult:
            self.counted.append(request)
            n = sum(1 for c in self.counted if c.teacher_id == request.teacher_id)
            return CountReopenResult(
                n,
                n,
                (
                    Proposal(
                        f"{request.case_id}:teacher",
                        Subject.TEACHER,
                        request.teacher_id,
                        request.term_id,
                        n,
                        "verbal_warning",
                        request.case_id,
                    ),
                ),
            )

        return [record_step, grant, end, count]


def closing_doubles(gradebook: FakeGradebook) -> list[Callable[..., Any]]:
    """The closing activities as doubles (same names)."""

    @activity.defn(name=SEND_REMINDER)
    async def remind(request: ReminderInput) -> ReminderResult:
        return ReminderResult(1)

    @activity.defn(name=CLOSE_SECTIONS)
    async def close(request: CloseSectionsInput) -> CloseSectionsResult:
        return await gradebook.close_sections(request)

    return [remind, close]


def statement_doubles() -> list[Callable[..., Any]]:
    """The statement-deadline activities as doubles (same names): one journal formed, one late."""

    @activity.defn(name=SEND_ALERT)
    async def alert(request: AlertInput) -> AlertResult:
        return AlertResult(1)

    @activity.defn(name=SETTLE)
    async def settle(request: SettleInput) -> SettleResult:
        return SettleResult(("journal-b",), ("journal-a",))

    return [alert, settle]


def reconcile_doubles() -> list[Callable[..., Any]]:
    @activity.defn(name=RECONCILE_CASES)
    async def reconcile(request: ReconcileInput) -> ReconcileResult:
        return ReconcileResult(("case-1",), (), ())

    return [reconcile]


def monitoring_doubles() -> list[Callable[..., Any]]:
    @activity.defn(name=DAILY_CHECK)
    async def daily(request: DayCheckRequest) -> DailyCheckResult:
        return DailyCheckResult(request.day, 3, 1)

    @activity.defn(name=WEEKLY_CHECK)
    async def weekly(request: WeekCheckRequest) -> WeeklyCheckResult:
        return WeeklyCheckResult(request.week_start, 2, 1)

    return [daily, weekly]
