"""Task lists: what waits for the caller (KZ-13 steps and KZ-13.7 confirmations), soonest deadline first.

One indexed query over the cases' projection picks the open cases whose waiting slot the caller's grants
reach; the domain then names the caller's action on each (so the rule lives in one place).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.context import Principal
from ejournal_platform.logging import get_logger
from ejournal_platform.metrics import REOPEN_STEPS_OVERDUE
from services.workflow.adapters import case_store, sanction_store
from services.workflow.domain.actors import REGISTRAR_ROLES, UNIVERSITY, Actor
from services.workflow.domain.tasks import OVERSIGHT_ROLES, REOPENING_ROLES, actions_for, oversight_action
from services.workflow.service_layer.access import actor_of

MAX_PAGE = 1000
log = get_logger(__name__)


@dataclass(frozen=True)
class Task:
    case_id: str
    step: str
    deadline: datetime | None
    overdue: bool
    action: str
    journal_id: str = ""
    section: str = ""
    teacher_id: str = ""
    department_id: str = ""
    faculty_id: str = ""
    summary: str = ""


def scopes_of(actor: Actor) -> case_store.TaskScopes:
    everywhere = tuple(sorted({g.role for g in actor.grants if g.scope_type == UNIVERSITY}))
    return case_store.TaskScopes(
        person_id=actor.person_id,
        department_head_of=actor.scope_ids("department_head", "department"),
        dean_curation_of=actor.scope_ids("dean_curation", "faculty"),
        dean_of=actor.scope_ids("dean", "faculty"),
        registrar=any(actor.holds_anywhere(r) for r in REOPENING_ROLES),
        everywhere_roles=everywhere,
    )


class TaskLists:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def list_tasks(self, principal: Principal | None, page_size: int = 100) -> list[Task]:
        actor = actor_of(principal)
        limit = min(max(page_size or 100, 1), MAX_PAGE)
        now = self._clock()
        tasks: list[Task] = []
        async with self._sessions() as session:
            for row in await case_store.list_task_rows(session, scopes_of(actor), limit):
                overdue = bool(row.overdue) or (row.deadline is not None and row.deadline < now)
                for action in actions_for(
                    actor,
                    teacher_id=row.teacher_id,
                    department_id=row.department_id,
                    faculty_id=row.faculty_id,
                    waiting_for=tuple(row.waiting_for),
                ):
                    tasks.append(
                        Task(
                            row.case_id,
                            row.step,
                            row.deadline,
                            overdue,
                            action,
                            row.journal_id,
                            row.section,
                            row.teacher_id,
                            row.department_id,
                            row.faculty_id,
                            row.reason,
                        )
                    )
            if any(actor.holds(r) for r in OVERSIGHT_ROLES) and len(tasks) < limit:
                tasks += await self._oversight(session, now, limit - len(tasks), {t.case_id for t in tasks})
            if any(actor.holds_anywhere(r) for r in REGISTRAR_ROLES) and len(tasks) < limit:
                for p in await sanction_store.pending_proposals(session, limit - len(tasks)):
                    tasks.append(
                        Task(
                            p.proposal_id,
                            "sanction_proposed",
                            None,
                            False,
                            "confirm_sanction",
                            teacher_id=p.subject_id if p.subject == "teacher" else "",
                            department_id=p.subject_id if p.subject == "department" else "",
                            summary=f"{p.measure} for {p.subject} {p.subject_id} (reopen no. {p.count})",
                        )
                    )
        return tasks[:limit]

    @staticmethod
    async def _oversight(session: AsyncSession, now: datetime, limit: int, listed: set[str]) -> list[Task]:
        """The vice-rector's: escalated cases and overdue steps across the university."""
        found = []
        for row in await case_store.list_late_rows(session, now, limit):
            action = oversight_action(bool(row.overdue), row.deadline, now)
            if action is None or row.case_id in listed:
                continue
            found.append(
                Task(
                    row.case_id,
                    row.step,
                    row.deadline,
                    True,
                    action,
                    row.journal_id,
                    row.section,
                    row.teacher_id,
                    row.department_id,
                    row.faculty_id,
                    row.reason,
                )
            )
        return found


async def measure_overdue_steps(
    sessions: async_sessionmaker[AsyncSession],
    every: float = 30.0,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Keep the `ejournal_reopen_steps_overdue` gauge current for the alert on late procedures; a
    database outage only leaves the last value (the health check reports the outage itself)."""
    while True:
        try:
            async with sessions() as session:
                REOPEN_STEPS_OVERDUE.set(await case_store.count_overdue_steps(session, clock()))
        except Exception as error:
            log.warning("cannot count overdue reopen steps", error=repr(error))
        await asyncio.sleep(every)
