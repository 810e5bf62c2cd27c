"""The reconciliation of reopen cases as its workflow calls it; entrypoints/activities.py runs it
(service_layer/reconciler.py)."""

from __future__ import annotations

from temporalio import activity

from services.workflow.processes.reconcile.messages import ReconcileInput, ReconcileResult

RECONCILE_CASES = "reconcile.cases"


class ReconcileActivities:
    @activity.defn(name=RECONCILE_CASES)
    async def reconcile(self, request: ReconcileInput) -> ReconcileResult:
        raise NotImplementedError
