"""The reopen procedure's activities: every effect of the workflow, each idempotent.

- record_step: the case's projection row, its history and notifications (database + outbox; a
  retried record inserts nothing twice, see adapters/case_store.record_step);
- grant: GrantReopen at the gradebook, idempotent there by case id (a worker killed mid-call and the
  activity retried get the same grant back);
- end: EndReopen (re-close with the individual statement), idempotent by case id;
- count: count the reopen once and let the profile's ladder propose measures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from ejournal_platform.db import UnitOfWork
from services.workflow.adapters import case_store, sanction_store
from services.workflow.adapters.gradebook import GradebookPort
from services.workflow.domain.sanctions import Ladder
from services.workflow.reopen.messages import (
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

LadderLookup = Callable[[str], "tuple[Ladder, Ladder] | None"]


def profile_ladders(profile_code: str) -> tuple[Ladder, Ladder] | None:
    """KZ-14 ladders of the regulation profile (profiles/*.yaml), or None when it has none."""
    from ejournal_regulation import get_profile

    sanctions = get_profile(profile_code).sanctions
    if sanctions is None:
        return None
    return sanctions.teacher.measure_for, sanctions.department.measure_for


class ReopenActivities:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        gradebook: GradebookPort,
        ladders: LadderLookup = profile_ladders,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._gradebook = gradebook
        self._ladders = ladders

    @activity.defn(name=RECORD_STEP)
    async def record_step(self, record: StepRecord) -> StepRecorded:
        return StepRecorded(await case_store.record_step(self._unit_of_work(), record))

    @activity.defn(name=GRANT_REOPEN)
    async def grant(self, request: GrantInput) -> GrantResult:
        result = await self._gradebook.grant_reopen(request)
        activity.logger.info("reopen granted: case %s grant %s", request.case_id, result.grant_id)
        return result

    @activity.defn(name=END_REOPEN)
    async def end(self, request: EndReopenInput) -> EndReopenResult:
        return await self._gradebook.end_reopen(request)

    @activity.defn(name=COUNT_REOPEN)
    async def count(self, request: CountReopenInput) -> CountReopenResult:
        return await sanction_store.count_reopen(
            self._unit_of_work(), request, self._ladders(request.profile_code)
        )

    def all(self) -> list[Callable[..., Any]]:
        return [self.record_step, self.grant, self.end, self.count]
