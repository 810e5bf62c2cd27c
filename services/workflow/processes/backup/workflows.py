"""The monthly backup (KZ-16), one long-lived workflow per university: sleep until 02:00 on the 1st of
the next month in the university's time zone, take the backup, remove backups past the retention,
continue as new. A backup that still fails after its retries raises a notice to the administrators
and the schedule goes on. A durable timer rather than a Temporal Schedule or cron: the time zone is
the university's own (cron's CRON_TZ is not understood by the time-skipping test server, which has no
Schedules at all), and the rule's test then proves the very mechanism production runs.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from services.workflow.domain.backup_retention import next_monthly_run
    from services.workflow.processes.backup.activities import BackupActivities
    from services.workflow.processes.backup.messages import (
        BackupFailed,
        BackupInput,
        PruneRequest,
    )

# A backup that fails three times (e.g. a database down all night) is reported, not retried for days.
TAKE_RETRY = RetryPolicy(
    initial_interval=timedelta(minutes=1), maximum_interval=timedelta(minutes=10), maximum_attempts=3
)
SMALL_STEP = timedelta(minutes=5)


@workflow.defn(name="MonthlyBackup")
class MonthlyBackupWorkflow:
    @workflow.run
    async def run(self, input: BackupInput) -> None:
        due = next_monthly_run(workflow.now(), input.time_zone)
        await workflow.sleep(due - workflow.now())
        await self.back_up(input)
        workflow.continue_as_new(input)

    async def back_up(self, input: BackupInput) -> None:
        now = workflow.now().isoformat()
        try:
            await workflow.execute_activity_method(
                BackupActivities.take,
                start_to_close_timeout=timedelta(seconds=input.activity_timeout_seconds),
                retry_policy=TAKE_RETRY,
            )
        except ActivityError as error:
            reason = str(error.cause or error)
            workflow.logger.error("the monthly backup failed: %s", reason)
            await workflow.execute_activity_method(
                BackupActivities.notify_failure, BackupFailed(reason, now), start_to_close_timeout=SMALL_STEP
            )
            return
        await workflow.execute_activity_method(
            BackupActivities.prune,
            PruneRequest(input.keep_years, now),
            start_to_close_timeout=SMALL_STEP,
        )
