"""The reopen cases' projection: one row per case (step, who it waits for, deadline) and its history.

Written by the record-step use case (service_layer/case_records.py: a retried record inserts nothing
twice and publishes nothing twice) and by SubmitExplanation (the row exists before the workflow starts, so one
open case per section is a database constraint). Read by task lists and GetCase.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.common.v1 import Payload
from temporalio.converter import JSONPlainPayloadConverter

from ejournal_platform.pagination import Page, keyset
from services.workflow.adapters.tables import reopen_case_history, reopen_cases
from services.workflow.domain.reopen_case import ENDED, HistoryEntry
from services.workflow.processes.reopen.messages import CaseView, workflow_id

_json = JSONPlainPayloadConverter()


def view_to_json(view: CaseView) -> Any:
    payload = _json.to_payload(view)
    assert payload is not None
    return json.loads(payload.data)


def view_from_json(data: Any) -> CaseView:
    payload = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(data).encode())
    view = _json.from_payload(payload, CaseView)
    assert isinstance(view, CaseView)
    return view


@dataclass(frozen=True)
class NewCase:
    view: CaseView
    submitted_by: str
    request_id: str


def row_values(view: CaseView) -> dict[str, Any]:
    f = view.facts
    return {
        "journal_id": f.journal_id,
        "section": f.section,
        "teacher_id": f.teacher_id,
        "department_id": f.department_id,
        "faculty_id": f.faculty_id,
        "term_id": f.term_id,
        "profile_code": f.profile_code,
        "university_id": f.university_id,
        "step": view.step,
        "waiting_for": list(view.waiting_for),
        "deadline": view.deadline,
        "overdue": view.overdue,
        "reason": view.explanation.reason,
        "closed_at": f.closed_at,
        "received_at": view.received_at,
        "end_reason": view.end_reason,
        "correction_late": view.correction_late,
        "view": view_to_json(view),
    }


async def insert_case(session: AsyncSession, case: NewCase) -> bool | None:
    """Insert the case's row: True when inserted, False when this (submitter, request) made it already,
    None when another case of the section is still open (the unique index says so)."""
    existing = await session.scalar(
        select(reopen_cases.c.case_id).where(
            reopen_cases.c.submitted_by == case.submitted_by, reopen_cases.c.request_id == case.request_id
        )
    )
    if existing is not None:
        return False
    case_id = case.view.facts.case_id
    inserted = await session.scalar(
        insert(reopen_cases)
        .values(
            case_id=case_id,
            workflow_id=workflow_id(case_id),
            submitted_by=case.submitted_by,
            request_id=case.request_id,
            recorded_seq=0,
            **row_values(case.view),
        )
        .on_conflict_do_nothing()
        .returning(reopen_cases.c.case_id)
    )
    return None if inserted is None else True


async def open_cases_before(session: AsyncSession, created_before: datetime) -> list[CaseView]:
    """Cases not ended whose rows are older than `created_before` (newer ones may be starting now)."""
    rows = await session.execute(
        select(reopen_cases.c.view)
        .where(reopen_cases.c.ended_at.is_(None), reopen_cases.c.created_at < created_before)
        .order_by(reopen_cases.c.created_at, reopen_cases.c.case_id)
    )
    return [view_from_json(r.view) for r in rows.all()]


async def missing_cases(session: AsyncSession, case_ids: list[str]) -> list[str]:
    """Those of `case_ids` that have no row."""
    if not case_ids:
        return []
    found = set(
        await session.scalars(select(reopen_cases.c.case_id).where(reopen_cases.c.case_id.in_(case_ids)))
    )
    return [c for c in case_ids if c not in found]


async def restore_case(session: AsyncSession, view: CaseView) -> bool:
    """Rebuild a lost row and history from the running workflow's view; publishes nothing (its events
    went out when the steps happened). False when a row exists already."""
    case_id = view.facts.case_id
    inserted = await session.scalar(
        insert(reopen_cases)
        .values(
            case_id=case_id,
            workflow_id=workflow_id(case_id),
            submitted_by=view.facts.teacher_id,
            request_id=f"restored:{case_id}",
            recorded_seq=max((e.seq for e in view.history), default=0),
            **row_values(view),
        )
        .on_conflict_do_nothing()
        .returning(reopen_cases.c.case_id)
    )
    if inserted is None:
        return False
    for e in view.history:
        await session.execute(
            insert(reopen_case_history)
            .values(
                case_id=case_id, seq=e.seq, at=e.at, actor_id=e.actor_id, action=e.action, detail=e.detail
            )
            .on_conflict_do_nothing()
        )
    return True


async def open_case_of_section(session: AsyncSession, journal_id: str, section: str) -> str | None:
    found = await session.scalar(
        select(reopen_cases.c.case_id).where(
            reopen_cases.c.journal_id == journal_id,
            reopen_cases.c.section == section,
            reopen_cases.c.ended_at.is_(None),
        )
    )
    return None if found is None else str(found)


async def insert_history_entry(session: AsyncSession, case_id: str, entry: HistoryEntry) -> bool:
    """Append one history entry; False when it is there already (a retried record)."""
    inserted = await session.scalar(
        insert(reopen_case_history)
        .values(
            case_id=case_id,
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            detail=entry.detail,
        )
        .on_conflict_do_nothing()
        .returning(reopen_case_history.c.seq)
    )
    return inserted is not None


async def advance_case(session: AsyncSession, view: CaseView, seq: int) -> None:
    """Move the case's row to this view, only forward (an older snapshot never overwrites a newer)."""
    case_id = view.facts.case_id
    ended_at = view.history[-1].at if view.step in ENDED and view.history else None
    values = row_values(view)
    if not values["university_id"]:  # a case older than its university: keep what the row learned
        del values["university_id"]
    await session.execute(
        update(reopen_cases)
        .where(reopen_cases.c.case_id == case_id, reopen_cases.c.recorded_seq < seq)
        .values(recorded_seq=seq, ended_at=ended_at, updated_at=func.now(), **values)
    )


async def get_case(session: AsyncSession, case_id: str) -> tuple[CaseView, datetime | None] | None:
    row = (
        await session.execute(
            select(reopen_cases.c.view, reopen_cases.c.ended_at).where(reopen_cases.c.case_id == case_id)
        )
    ).first()
    if row is None:
        return None
    return view_from_json(row.view), row.ended_at


async def list_teacher_cases(
    session: AsyncSession, teacher_id: str, page: Page
) -> tuple[list[CaseView], str]:
    """One page of a teacher's own cases, newest first (open and ended), and the next page's token."""
    c = reopen_cases.c
    key = [c.created_at, c.case_id]
    query = keyset(
        select(c.view, *key).where(c.teacher_id == teacher_id),
        page,
        key,
        [datetime.fromisoformat, str],
        descending=True,
    )
    rows, next_token = page.cut(
        list((await session.execute(query)).all()), key=lambda r: (r.created_at, r.case_id)
    )
    return [view_from_json(r.view) for r in rows], next_token


# A task list's cursor within one source: the (deadline, case id) of a row, where the walk resumes
# (`inclusive`: at that row again, for its remaining actions). Deadlines sort nulls last; ids bytewise.
Resume = tuple[datetime | None, str, bool] | None


def _resumed(query: Any, resume: Resume) -> Any:
    c = reopen_cases.c
    case_id = c.case_id.collate("C")
    query = query.order_by(c.deadline.asc().nulls_last(), case_id)
    if resume is None:
        return query
    deadline, after_id, inclusive = resume
    same = case_id >= after_id if inclusive else case_id > after_id
    if deadline is None:
        return query.where(c.deadline.is_(None), same)
    return query.where(or_(c.deadline > deadline, and_(c.deadline == deadline, same), c.deadline.is_(None)))


async def list_late_rows(
    session: AsyncSession,
    university_ids: tuple[str, ...],
    now: datetime,
    limit: int,
    resume: Resume = None,
    not_waiting_for: TaskScopes | None = None,
) -> list[Any]:
    """Open cases of these universities escalated or past their step's deadline, oldest deadline
    first; without those already waiting for the caller (`not_waiting_for`: they are in the caller's
    own list)."""
    c = reopen_cases.c
    query = (
        select(
            c.case_id,
            c.step,
            c.deadline,
            c.overdue,
            c.journal_id,
            c.section,
            c.teacher_id,
            c.department_id,
            c.faculty_id,
            c.reason,
        )
        .where(c.ended_at.is_(None), c.university_id.in_(university_ids), or_(c.overdue, c.deadline < now))
        .limit(limit)
    )
    if not_waiting_for is not None:
        query = query.where(~or_(*waiting_conditions(not_waiting_for)))
    return list((await session.execute(_resumed(query, resume))).all())


@dataclass(frozen=True)
class TaskScopes:
    """Where the caller's roles reach, for the task-list query (from the caller's grants)."""

    person_id: str
    department_head_of: tuple[str, ...] = ()
    dean_curation_of: tuple[str, ...] = ()
    dean_of: tuple[str, ...] = ()
    # The registrar office's reach (university, faculty, department grants of its reopening roles).
    registrar_universities: tuple[str, ...] = ()
    registrar_faculties: tuple[str, ...] = ()
    registrar_departments: tuple[str, ...] = ()
    # (role, university id) of each role held at university scope: it reaches that university only.
    everywhere_roles: tuple[tuple[str, str], ...] = ()


def waiting_conditions(scopes: TaskScopes) -> list[Any]:
    """Open cases waiting for this person: by teacher, by visa role and scope, council, registrar."""
    c = reopen_cases.c
    conditions = [and_(c.teacher_id == scopes.person_id, c.waiting_for.contains(["teacher"]))]

    def role_in(slot: str, role: str, scope_ids: tuple[str, ...], column: Any) -> None:
        """Cases waiting in `slot` where the caller holds `role` (in their university, or in these
        scopes)."""
        universities = [u for r, u in scopes.everywhere_roles if r == role]
        if universities:
            conditions.append(and_(c.university_id.in_(universities), c.waiting_for.contains([slot])))
        if scope_ids:
            conditions.append(and_(column.in_(scope_ids), c.waiting_for.contains([slot])))

    role_in("department_head", "department_head", scopes.department_head_of, c.department_id)
    role_in("dean_curation", "dean_curation", scopes.dean_curation_of, c.faculty_id)
    role_in("dean", "dean", scopes.dean_of, c.faculty_id)
    role_in("council", "dean", scopes.dean_of, c.faculty_id)
    registrar = or_(
        c.university_id.in_(scopes.registrar_universities),
        c.faculty_id.in_(scopes.registrar_faculties),
        c.department_id.in_(scopes.registrar_departments),
    )
    if scopes.registrar_universities or scopes.registrar_faculties or scopes.registrar_departments:
        conditions.append(and_(registrar, c.waiting_for.contains(["registrar"])))
    return conditions


async def list_task_rows(
    session: AsyncSession, scopes: TaskScopes, limit: int, resume: Resume = None
) -> list[Any]:
    """Open cases waiting for this person (`waiting_conditions`), soonest deadline first."""
    c = reopen_cases.c
    query = (
        select(
            c.case_id,
            c.step,
            c.deadline,
            c.overdue,
            c.waiting_for,
            c.university_id,
            c.journal_id,
            c.section,
            c.teacher_id,
            c.department_id,
            c.faculty_id,
            c.reason,
        )
        .where(c.ended_at.is_(None), or_(*waiting_conditions(scopes)))
        .limit(limit)
    )
    return list((await session.execute(_resumed(query, resume))).all())


async def count_overdue_steps(session: AsyncSession, now: datetime) -> int:
    """Open cases whose current step is past its deadline (flagged by the workflow, or just passed)."""
    c = reopen_cases.c
    overdue = or_(c.overdue, and_(c.deadline.is_not(None), c.deadline < now))
    return int(await session.scalar(select(func.count()).where(c.ended_at.is_(None), overdue)) or 0)
