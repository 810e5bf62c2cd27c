"""Loading a journal with what decides access to it: its teachers (teaching load), the substitutes in
force today, and where it sits (faculty, department, group, course unit) for the policy module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, NotFound
from services.gradebook.domain.access import Substitution, Writers, writers

JOURNAL = text(
    """
    SELECT j.journal_id, j.term_id, j.course_unit_id, j.group_id, j.subgroup_id, j.lesson_type,
           j.profile_code, j.department_id, j.faculty_id, j.locked_at,
           coalesce(cu.title, '') AS title, coalesce(cu.kind, '') AS course_unit_kind, cu.parent_id,
           ARRAY(SELECT t.teacher_id FROM journal_teachers t WHERE t.journal_id = j.journal_id AND t.active
                 ORDER BY t.teacher_id) AS teacher_ids
    FROM journals j LEFT JOIN course_units cu ON cu.course_unit_id = j.course_unit_id
    WHERE j.journal_id = :journal_id
    """
)

SUBSTITUTIONS = text(
    """
    SELECT absent_teacher_id, substitute_id, starts_on, ends_on, journal_ids, course_unit_ids
    FROM substitutions WHERE absent_teacher_id = ANY(:teachers) AND :day BETWEEN starts_on AND ends_on
    """
)

ROSTER = text(
    """
    SELECT DISTINCT ON (e.student_id) e.student_id, e.subgroup_id FROM enrollments e
    WHERE e.group_id = :group_id AND e.until IS NULL
      AND (CAST(:subgroup_id AS uuid) IS NULL OR e.subgroup_id = :subgroup_id)
    ORDER BY e.student_id
    """
)


@dataclass(frozen=True)
class JournalView:
    journal_id: uuid.UUID
    term_id: uuid.UUID
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    lesson_type: str
    profile_code: str
    department_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    locked_at: datetime | None
    title: str
    course_unit_kind: str
    parent_id: uuid.UUID | None
    teacher_ids: tuple[str, ...]
    writers: Writers = field(default_factory=lambda: Writers({}))

    def scope(self, student_id: str | None = None) -> ResourceScope:
        return ResourceScope(
            faculty_id=_str(self.faculty_id),
            department_id=_str(self.department_id),
            group_id=str(self.group_id),
            discipline_id=str(self.course_unit_id),
            student_id=student_id,
            assignee_ids=self.writers.ids,
        )


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def parse_id(value: str, field_name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise InvalidArgument(field_name, f"{value!r} is not an id (UUID)") from None


async def load_journal(session: AsyncSession, journal_id: uuid.UUID, day: date) -> JournalView:
    row = (await session.execute(JOURNAL, {"journal_id": journal_id})).mappings().first()
    if row is None:
        raise NotFound(f"journal {journal_id} not found", field="journal_id")
    teachers = tuple(str(t) for t in row["teacher_ids"])
    subs = (
        await session.execute(SUBSTITUTIONS, {"teachers": [uuid.UUID(t) for t in teachers], "day": day})
    ).all()
    substitutions = [
        Substitution(
            str(s.absent_teacher_id),
            str(s.substitute_id),
            s.starts_on,
            s.ends_on,
            frozenset(str(x) for x in s.journal_ids),
            frozenset(str(x) for x in s.course_unit_ids),
        )
        for s in subs
    ]
    values = {k: v for k, v in row.items() if k != "teacher_ids"}
    return JournalView(
        **values,
        teacher_ids=teachers,
        writers=writers(teachers, substitutions, str(row["journal_id"]), str(row["course_unit_id"]), day),
    )


async def authorized_journal(
    session: AsyncSession, principal: Principal | None, action: str, journal_id: uuid.UUID, day: date
) -> JournalView:
    """The journal, if the caller may perform `action` on it; otherwise PermissionDenied (no hint)."""
    journal = await load_journal(session, journal_id, day)
    require(principal, action, journal.scope())
    return journal


async def roster(session: AsyncSession, journal: JournalView) -> dict[uuid.UUID, uuid.UUID | None]:
    rows = await session.execute(ROSTER, {"group_id": journal.group_id, "subgroup_id": journal.subgroup_id})
    return {r.student_id: r.subgroup_id for r in rows}
