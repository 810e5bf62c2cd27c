"""Temporal calls in here: the implementation of every activity its workflows declare
(processes/*/activities.py), each a thin call of its use case in service_layer/. Same activity names as
the declarations they override, so the workflows' `execute_activity_method` calls reach them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from services.workflow.processes.backup.activities import NOTIFY_FAILURE, PRUNE, TAKE, BackupActivities
from services.workflow.processes.backup.messages import BackupFailed, BackupTaken, PruneRequest
from services.workflow.processes.closing.activities import CLOSE_SECTIONS, SEND_REMINDER, ClosingActivities
from services.workflow.processes.closing.messages import (
    CloseSectionsInput,
    CloseSectionsResult,
    ReminderInput,
    ReminderResult,
)
from services.workflow.processes.monitoring.activities import DAILY_CHECK, WEEKLY_CHECK, MonitoringActivities
from services.workflow.processes.monitoring.messages import (
    DailyCheckResult,
    DayCheckRequest,
    WeekCheckRequest,
    WeeklyCheckResult,
)
from services.workflow.processes.reconcile.activities import RECONCILE_CASES, ReconcileActivities
from services.workflow.processes.reconcile.messages import ReconcileInput, ReconcileResult
from services.workflow.processes.reopen.activities import (
    COUNT_REOPEN,
    END_REOPEN,
    GRANT_REOPEN,
    RECORD_STEP,
    ReopenActivities,
)
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
from services.workflow.processes.statements.activities import SEND_ALERT, SETTLE, StatementActivities
from services.workflow.processes.statements.messages import AlertInput, AlertResult, SettleInput, SettleResult
from services.workflow.service_layer import case_records, closing, counting, monitoring, statement_deadlines
from services.workflow.service_layer.backups import BackupPort, notify_backup_failure
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.reconciler import ReconcileCases, reconcile_cases

Activity = Callable[..., Any]


class Reopen(ReopenActivities):
    def __init__(self, deps: Deps, ladders: counting.LadderLookup = counting.profile_ladders) -> None:
        self._deps = deps
        self._ladders = ladders

    @activity.defn(name=RECORD_STEP)
    async def record_step(self, record: StepRecord) -> StepRecorded:
        return await case_records.record_step(self._deps, record)

    @activity.defn(name=GRANT_REOPEN)
    async def grant(self, request: GrantInput) -> GrantResult:
        result = await self._deps.gradebook.grant_reopen(request)
        activity.logger.info("reopen granted: case %s grant %s", request.case_id, result.grant_id)
        return result

    @activity.defn(name=END_REOPEN)
    async def end(self, request: EndReopenInput) -> EndReopenResult:
        return await self._deps.gradebook.end_reopen(request)

    @activity.defn(name=COUNT_REOPEN)
    async def count(self, request: CountReopenInput) -> CountReopenResult:
        return await counting.count_reopen(self._deps, request, ladders=self._ladders)

    def all(self) -> list[Activity]:
        return [self.record_step, self.grant, self.end, self.count]


class Closing(ClosingActivities):
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    @activity.defn(name=SEND_REMINDER)
    async def remind(self, request: ReminderInput) -> ReminderResult:
        return await closing.send_reminder(self._deps, request)

    @activity.defn(name=CLOSE_SECTIONS)
    async def close(self, request: CloseSectionsInput) -> CloseSectionsResult:
        closed_at = activity.info().current_attempt_scheduled_time
        return await closing.close_sections(self._deps, request, closed_at=closed_at)

    def all(self) -> list[Activity]:
        return [self.remind, self.close]


class Statements(StatementActivities):
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    @activity.defn(name=SEND_ALERT)
    async def alert(self, request: AlertInput) -> AlertResult:
        return await statement_deadlines.send_alert(self._deps, request)

    @activity.defn(name=SETTLE)
    async def settle(self, request: SettleInput) -> SettleResult:
        return await statement_deadlines.settle(self._deps, request)

    def all(self) -> list[Activity]:
        return [self.alert, self.settle]


class Monitoring(MonitoringActivities):
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    @activity.defn(name=DAILY_CHECK)
    async def daily(self, request: DayCheckRequest) -> DailyCheckResult:
        return await monitoring.daily_fill_check(self._deps, request, heartbeat=activity.heartbeat)

    @activity.defn(name=WEEKLY_CHECK)
    async def weekly(self, request: WeekCheckRequest) -> WeeklyCheckResult:
        return await monitoring.weekly_journal_check(self._deps, request, heartbeat=activity.heartbeat)

    def all(self) -> list[Activity]:
        return [self.daily, self.weekly]


class Backup(BackupActivities):
    def __init__(self, deps: Deps, backups: BackupPort) -> None:
        self._deps = deps
        self._backups = backups

    @activity.defn(name=TAKE)
    async def take(self) -> BackupTaken:
        return await self._backups.take()

    @activity.defn(name=PRUNE)
    async def prune(self, request: PruneRequest) -> list[str]:
        return await self._backups.prune(request.keep_years, request.now)

    @activity.defn(name=NOTIFY_FAILURE)
    async def notify_failure(self, failed: BackupFailed) -> None:
        await notify_backup_failure(self._deps, failed)

    def all(self) -> list[Activity]:
        return [self.take, self.prune, self.notify_failure]


class Reconcile(ReconcileActivities):
    def __init__(self, deps: Deps) -> None:
        self._deps = deps  # with the reopen cases' Temporal client (deps.cases)

    @activity.defn(name=RECONCILE_CASES)
    async def reconcile(self, request: ReconcileInput) -> ReconcileResult:
        report = await reconcile_cases(self._deps, ReconcileCases())
        return ReconcileResult(report.started, report.restored, report.needs_operator)

    def all(self) -> list[Activity]:
        return [self.reconcile]
