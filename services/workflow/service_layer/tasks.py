"""Task lists: what waits for the caller (KZ-13 steps and KZ-13.7 confirmations), soonest deadline first.

One indexed query over the cases' projection picks the open cases whose waiting slot the caller's grants
reach; the domain then names the caller's action on each (so the rule lives in one place).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from ejournal_platform.logging import get_logger
from ejournal_platform.metrics import REOPEN_STEPS_OVERDUE
from ejournal_platform.pagination import Page, page_request
from services.workflow.adapters import case_store, sanction_store
from services.workflow.adapters.case_store import Resume
from services.workflow.domain.actors import REGISTRAR_ROLES, UNIVERSITY, Actor
from services.workflow.domain.tasks import OVERSIGHT_ROLES, REOPENING_ROLES, actions_for, oversight_action
from services.workflow.service_layer.access import actor_of
from services.workflow.service_layer.deps import Deps

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


def reach_of(actor: Actor, roles: tuple[str, ...]) -> sanction_store.Reach:
    """Where any of these roles of the actor reaches, by scope level (a university-scope grant reaches
    its own university, never another: issue 18)."""

    def ids(scope_type: str) -> tuple[str, ...]:
        return tuple(sorted({i for r in roles for i in actor.scope_ids(r, scope_type)}))

    return sanction_store.Reach(ids(UNIVERSITY), ids("faculty"), ids("department"))


def scopes_of(actor: Actor) -> case_store.TaskScopes:
    everywhere = tuple(sorted({(g.role, g.scope_id) for g in actor.grants if g.scope_type == UNIVERSITY}))
    registrar = reach_of(actor, REOPENING_ROLES)
    return case_store.TaskScopes(
        person_id=actor.person_id,
        department_head_of=actor.scope_ids("department_head", "department"),
        dean_curation_of=actor.scope_ids("dean_curation", "faculty"),
        dean_of=actor.scope_ids("dean", "faculty"),
        registrar_universities=registrar.university_ids,
        registrar_faculties=registrar.faculty_ids,
        registrar_departments=registrar.department_ids,
        everywhere_roles=everywhere,
    )


async def list_tasks(
    deps: Deps, principal: Principal | None, page: Page | None = None
) -> tuple[list[Task], str]:
    """One page of the caller's tasks and the next page's token. Three sources, in this order: the
    cases waiting for the caller, the vice-rector's late cases (those not already in the first),
    the registrar's sanction proposals; each soonest first. A task's key is (source, time, id,
    action), so the cursor resumes inside any source, even between two actions on one case; each
    source is read from its cursor with a keyset query, a page's worth at a time."""
    page = page or page_request(0, "")
    actor = actor_of(principal)
    now = deps.clock()
    after = page.after_key(str, _time_text, str, str) if page.after else None
    scopes = scopes_of(actor)
    sources: list[tuple[int, Source]] = [(0, _waiting(actor, scopes, now))]
    if any(actor.holds(r) for r in OVERSIGHT_ROLES):
        universities = reach_of(actor, OVERSIGHT_ROLES).university_ids
        sources.append((1, _late(universities, scopes, now)))
    if any(actor.holds_anywhere(r) for r in REGISTRAR_ROLES):
        sources.append((2, _proposals(reach_of(actor, REGISTRAR_ROLES))))
    found: list[tuple[Key, Task]] = []
    async with deps.unit_of_work() as uow:
        session = uow.session
        for index, source in sources:
            if after is not None and str(index) < after[0]:
                continue
            resume: Resume = None
            if after is not None and str(index) == after[0]:
                resume = (_instant(after[1]), after[2], True)
            while len(found) < page.fetch:
                rows = await source.rows(session, resume, page.fetch)
                for row in rows:
                    for task in sorted(source.tasks(row), key=lambda t: t.action):
                        key = (str(index), _sort_text(source.time(row)), source.ident(row), task.action)
                        if after is None or key > after:
                            found.append((key, task))
                if len(rows) < page.fetch:
                    break
                resume = (source.time(rows[-1]), source.ident(rows[-1]), False)
            if len(found) >= page.fetch:
                break
    shown, next_token = page.cut(found[: page.fetch], key=lambda pair: pair[0])
    return [t for _, t in shown], next_token


def _waiting(actor: Actor, scopes: case_store.TaskScopes, now: datetime) -> Source:
    def tasks(row: Any) -> list[Task]:
        overdue = bool(row.overdue) or (row.deadline is not None and row.deadline < now)
        return [
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
            for action in actions_for(
                actor,
                teacher_id=row.teacher_id,
                department_id=row.department_id,
                faculty_id=row.faculty_id,
                waiting_for=tuple(row.waiting_for),
                university_id=row.university_id,
            )
        ]

    async def rows(session: AsyncSession, resume: Resume, limit: int) -> list[Any]:
        return await case_store.list_task_rows(session, scopes, limit, resume)

    return Source(rows, tasks, lambda r: r.deadline, lambda r: str(r.case_id))


def _late(universities: tuple[str, ...], scopes: case_store.TaskScopes, now: datetime) -> Source:
    """The vice-rector's: escalated cases and overdue steps across their own university."""

    def tasks(row: Any) -> list[Task]:
        action = oversight_action(bool(row.overdue), row.deadline, now)
        if action is None:
            return []
        return [
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
        ]

    async def rows(session: AsyncSession, resume: Resume, limit: int) -> list[Any]:
        return await case_store.list_late_rows(
            session, universities, now, limit, resume, not_waiting_for=scopes
        )

    return Source(rows, tasks, lambda r: r.deadline, lambda r: str(r.case_id))


def _proposals(reach: sanction_store.Reach) -> Source:
    def tasks(p: Any) -> list[Task]:
        return [
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
        ]

    async def rows(session: AsyncSession, resume: Resume, limit: int) -> list[Any]:
        # A proposal has one task, so the walk never resumes inside one: `inclusive` is moot.
        after = (resume[0], resume[1]) if resume is not None and resume[0] is not None else None
        return await sanction_store.pending_proposals(session, reach, limit, after)

    return Source(rows, tasks, lambda p: p.proposed_at, lambda p: str(p.proposal_id))


Key = tuple[str, str, str, str]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _sort_text(moment: datetime | None) -> str:
    """A time as text that sorts like the time (microseconds since 1970, fixed width); none sorts last."""
    return "~" if moment is None else f"{(moment - EPOCH) // timedelta(microseconds=1):020d}"


def _time_text(text: str) -> str:
    """A token's time part as `_sort_text` wrote it (ValueError otherwise: the token is refused)."""
    return text if text == "~" else f"{int(text):020d}"


def _instant(text: str) -> datetime | None:
    return None if text == "~" else EPOCH + timedelta(microseconds=int(text))


@dataclass(frozen=True)
class Source:
    """One source of tasks: its rows from a cursor on, the tasks of a row, a row's time and id."""

    rows: Callable[[AsyncSession, Resume, int], Awaitable[list[Any]]]
    tasks: Callable[[Any], list[Task]]
    time: Callable[[Any], datetime | None]
    ident: Callable[[Any], str]


async def measure_overdue_steps(deps: Deps, *, every: float = 30.0) -> None:
    """Keep the `ejournal_reopen_steps_overdue` gauge current for the alert on late procedures (as of
    `deps.clock()`); a database outage only leaves the last value (the health check reports it)."""
    while True:
        try:
            async with deps.unit_of_work() as uow:
                REOPEN_STEPS_OVERDUE.set(await case_store.count_overdue_steps(uow.session, deps.clock()))
        except Exception as error:
            log.warning("cannot count overdue reopen steps", error=repr(error))
        await asyncio.sleep(every)
