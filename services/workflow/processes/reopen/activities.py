"""The reopen procedure's activities as its workflow calls them (`workflow.execute_activity_method`,
so mypy checks each input and result); entrypoints/activities.py runs them. Every one is idempotent:

- record_step: the case's projection row, its history and notifications (database + outbox; a
  retried record inserts nothing twice, see service_layer/case_records.py);
- grant: GrantReopen at the gradebook, idempotent there by case id (a worker killed mid-call and the
  activity retried get the same grant back);
- end: EndReopen (re-close with the individual statement), idempotent by case id;
- count: count the reopen once and let the profile's ladder propose measures.
"""

from __future__ import annotations

from temporalio import activity

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

RECORD_STEP = "reopen.record_step"
GRANT_REOPEN = "reopen.grant"
END_REOPEN = "reopen.end"
COUNT_REOPEN = "reopen.count"


class ReopenActivities:
    @activity.defn(name=RECORD_STEP)
    async def record_step(self, record: StepRecord) -> StepRecorded:
        raise NotImplementedError

    @activity.defn(name=GRANT_REOPEN)
    async def grant(self, request: GrantInput) -> GrantResult:
        raise NotImplementedError

    @activity.defn(name=END_REOPEN)
    async def end(self, request: EndReopenInput) -> EndReopenResult:
        raise NotImplementedError

    @activity.defn(name=COUNT_REOPEN)
    async def count(self, request: CountReopenInput) -> CountReopenResult:
        raise NotImplementedError
