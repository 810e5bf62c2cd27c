"""Temporal schedules of the monitoring checks, created by the service at start if absent:
the daily fill check (KZ-09) for profiles with daily grading, the weekly journal check (KG-08) for
profiles that check journals weekly, and the hourly reconciliation of reopen cases. Ops see and pause
them in the Temporal UI (Schedules)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleIntervalSpec,
    ScheduleRange,
    ScheduleSpec,
)

from ejournal_regulation import load_profiles
from services.workflow.processes.monitoring.messages import DailyCheckInput, WeeklyCheckInput
from services.workflow.processes.monitoring.workflows import (
    DailyFillCheckWorkflow,
    WeeklyJournalCheckWorkflow,
)
from services.workflow.processes.reconcile.messages import ReconcileInput
from services.workflow.processes.reconcile.workflows import ReconcileCasesWorkflow

RECONCILE_EVERY = timedelta(hours=1)


def _calendar(hour: int, minute: int, day_of_week: int | None, time_zone: str) -> ScheduleSpec:
    calendar = ScheduleCalendarSpec(
        hour=[ScheduleRange(hour)],
        minute=[ScheduleRange(minute)],
        day_of_week=[ScheduleRange(day_of_week)] if day_of_week is not None else [ScheduleRange(0, 6)],
    )
    return ScheduleSpec(calendars=[calendar], time_zone_name=time_zone)


def wanted_schedules(task_queue: str, time_zone: str, utc_offset_hours: int) -> dict[str, Schedule]:
    schedules: dict[str, Schedule] = {
        "reconcile-reopen-cases": Schedule(
            action=ScheduleActionStartWorkflow(
                ReconcileCasesWorkflow.run,
                ReconcileInput(),
                id="reconcile-reopen-cases",
                task_queue=task_queue,
            ),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=RECONCILE_EVERY)]),
        )
    }
    for code, profile in sorted(load_profiles().items()):
        if profile.daily_grading_max_unit_days:
            schedules[f"daily-fill-check-{code}"] = Schedule(
                action=ScheduleActionStartWorkflow(
                    DailyFillCheckWorkflow.run,
                    DailyCheckInput(code, utc_offset_hours),
                    id=f"daily-fill-check-{code}",
                    task_queue=task_queue,
                ),
                spec=_calendar(0, 30, None, time_zone),  # half past midnight: the day has ended
            )
        if profile.journal_check_every_days == 7:
            schedules[f"weekly-journal-check-{code}"] = Schedule(
                action=ScheduleActionStartWorkflow(
                    WeeklyJournalCheckWorkflow.run,
                    WeeklyCheckInput(code, utc_offset_hours),
                    id=f"weekly-journal-check-{code}",
                    task_queue=task_queue,
                ),
                spec=_calendar(1, 0, 1, time_zone),  # Monday 01:00: last week is over
            )
    return schedules


async def ensure_schedules(
    client: Client, task_queue: str, time_zone: str, utc_offset_hours: int
) -> list[str]:
    created = []
    for schedule_id, schedule in wanted_schedules(task_queue, time_zone, utc_offset_hours).items():
        try:
            await client.create_schedule(schedule_id, schedule)
            created.append(schedule_id)
        except ScheduleAlreadyRunningError:
            pass
    return created
