"""Activities of the statement-deadline process (KZ-15) as its workflow calls them; entrypoints/
activities.py runs them (service_layer/statement_deadlines.py): alert teachers or their department head
about incomplete journals, and on the deadline form statements or record lateness. Idempotent: each
alert's notices once per (event, kind, hours), each lateness once per (event, journal), forming through
CloseSection with a per-journal idempotency key.
"""

from __future__ import annotations

from temporalio import activity

from services.workflow.processes.statements.messages import AlertInput, AlertResult, SettleInput, SettleResult

SEND_ALERT = "statements.alert"
SETTLE = "statements.settle"


class StatementActivities:
    @activity.defn(name=SEND_ALERT)
    async def alert(self, request: AlertInput) -> AlertResult:
        raise NotImplementedError

    @activity.defn(name=SETTLE)
    async def settle(self, request: SettleInput) -> SettleResult:
        raise NotImplementedError
