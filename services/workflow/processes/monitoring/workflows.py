"""The daily fill check (KZ-09) and the weekly journal check (KG-08), started by Temporal schedules
(adapters/schedules.py). Deterministic: the day or week checked comes from the scheduled time."""

from datetime import date, datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.processes.monitoring.activities import MonitoringActivities
    from services.workflow.processes.monitoring.messages import (
        DailyCheckInput,
        DailyCheckResult,
        DayCheckRequest,
        WeekCheckRequest,
        WeeklyCheckInput,
        WeeklyCheckResult,
    )

RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=5))


def local_date(at: datetime, utc_offset_hours: int) -> date:
    return (at + timedelta(hours=utc_offset_hours)).date()


def day_checked(at: datetime, utc_offset_hours: int) -> str:
    """The local day that ended before the run (the run is scheduled just after local midnight)."""
    return str(local_date(at, utc_offset_hours) - timedelta(days=1))


def week_checked(at: datetime, utc_offset_hours: int) -> str:
    """Monday of the local week that ended before the run."""
    today = local_date(at, utc_offset_hours)
    return str(today - timedelta(days=today.weekday() + 7))


@workflow.defn(name="DailyFillCheck")
class DailyFillCheckWorkflow:
    @workflow.run
    async def run(self, input: DailyCheckInput) -> DailyCheckResult:
        day = input.day or day_checked(workflow.now(), input.utc_offset_hours)
        result: DailyCheckResult = await workflow.execute_activity_method(
            MonitoringActivities.daily,
            DayCheckRequest(input.profile_code, day),
            start_to_close_timeout=timedelta(seconds=input.activity_timeout_seconds),
            heartbeat_timeout=timedelta(seconds=input.activity_timeout_seconds),
            retry_policy=RETRY,
        )
        return result


@workflow.defn(name="WeeklyJournalCheck")
class WeeklyJournalCheckWorkflow:
    @workflow.run
    async def run(self, input: WeeklyCheckInput) -> WeeklyCheckResult:
        week_start = input.week_start or week_checked(workflow.now(), input.utc_offset_hours)
        result: WeeklyCheckResult = await workflow.execute_activity_method(
            MonitoringActivities.weekly,
            WeekCheckRequest(input.profile_code, week_start),
            start_to_close_timeout=timedelta(seconds=input.activity_timeout_seconds),
            heartbeat_timeout=timedelta(seconds=input.activity_timeout_seconds),
            retry_policy=RETRY,
        )
        return result
