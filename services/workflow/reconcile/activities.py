"""The reconciliation of reopen cases as an activity (the reconciler holds its clients)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from services.workflow.reconcile.messages import ReconcileInput, ReconcileResult
from services.workflow.service_layer.reconciler import CaseReconciler

RECONCILE_CASES = "reconcile.cases"


class ReconcileActivities:
    def __init__(self, reconciler: CaseReconciler) -> None:
        self._reconciler = reconciler

    @activity.defn(name=RECONCILE_CASES)
    async def reconcile(self, request: ReconcileInput) -> ReconcileResult:
        report = await self._reconciler.run()
        return ReconcileResult(report.started, report.restored, report.needs_operator)

    def all(self) -> list[Callable[..., Any]]:
        return [self.reconcile]
