"""Activities of the daily fill check (KZ-09) and the weekly journal check (KG-08) as their workflows
call them; entrypoints/activities.py runs them (service_layer/monitoring.py). Each records results once
per (journal, day) or (journal, week) and notifies only for new ones: a retry notifies nobody twice.
"""

from __future__ import annotations

from temporalio import activity

from services.workflow.processes.monitoring.messages import (
    DailyCheckResult,
    DayCheckRequest,
    WeekCheckRequest,
    WeeklyCheckResult,
)

DAILY_CHECK = "monitoring.daily_fill_check"
WEEKLY_CHECK = "monitoring.weekly_journal_check"


class MonitoringActivities:
    @activity.defn(name=DAILY_CHECK)
    async def daily(self, request: DayCheckRequest) -> DailyCheckResult:
        raise NotImplementedError

    @activity.defn(name=WEEKLY_CHECK)
    async def weekly(self, request: WeekCheckRequest) -> WeeklyCheckResult:
        raise NotImplementedError
