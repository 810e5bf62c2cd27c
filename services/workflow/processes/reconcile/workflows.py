"""The scheduled reconciliation of reopen cases (adapters/schedules.py): one activity, its report as
the workflow's result, so an operator reads what it did in the Temporal UI. Deterministic."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.processes.reconcile.activities import ReconcileActivities
    from services.workflow.processes.reconcile.messages import ReconcileInput, ReconcileResult

RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=5))


@workflow.defn(name="ReconcileCases")
class ReconcileCasesWorkflow:
    @workflow.run
    async def run(self, input: ReconcileInput) -> ReconcileResult:
        result: ReconcileResult = await workflow.execute_activity_method(
            ReconcileActivities.reconcile,
            input,
            start_to_close_timeout=timedelta(seconds=input.activity_timeout_seconds),
            retry_policy=RETRY,
        )
        return result
