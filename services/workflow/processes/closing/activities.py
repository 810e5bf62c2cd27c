"""Activities of the closing-deadline process as its workflow calls them; entrypoints/activities.py runs
them (service_layer/closing.py). Both are idempotent: a reminder's notifications are written once per
(event, hours, deadline) in the transaction that claims that key; closing goes through CloseSection
with the event's idempotency key.
"""

from __future__ import annotations

from temporalio import activity

from services.workflow.processes.closing.messages import (
    CloseSectionsInput,
    CloseSectionsResult,
    ReminderInput,
    ReminderResult,
)

SEND_REMINDER = "closing.remind"
CLOSE_SECTIONS = "closing.close"


class ClosingActivities:
    @activity.defn(name=SEND_REMINDER)
    async def remind(self, request: ReminderInput) -> ReminderResult:
        raise NotImplementedError

    @activity.defn(name=CLOSE_SECTIONS)
    async def close(self, request: CloseSectionsInput) -> CloseSectionsResult:
        raise NotImplementedError
