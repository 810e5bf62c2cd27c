"""Loading a journal with what decides access to it: its teachers (teaching load), the substitutes in
force today, and where it sits (faculty, department, group, course unit) for the policy module.

Every call of the service starts here, so the queries go straight to psycopg (binary, no ORM rows):
one round trip for the journal and its teachers, one for substitutions when they matter.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from services.gradebook.adapters.pg import raw_connection
from services.gradebook.domain.access import Substitution, Writers, writers

JOURNAL = """
SELECT j.journal_id, j.term_id, j.course_unit_id, j.group_id, j.subgroup_id, j.lesson_type, j.profile_code,
       j.department_id, j.faculty_id, j.locked_at, coalesce(cu.title, ''), coalesce(cu.kind, ''),
       cu.parent_id,
       ARRAY(SELECT DISTINCT t.teacher_id::text FROM journal_teachers t
             WHERE t.journal_id = j.journal_id AND t.active ORDER BY 1),
       (SELECT f.parent_id FROM names f WHERE f.name_id = j.faculty_id AND f.kind = 'faculty')
FROM journals j LEFT JOIN course_units cu ON cu.course_unit_id = j.course_unit_id
WHERE j.journal_id = %b
"""
JOURNALS = JOURNAL.replace("WHERE j.journal_id = %b", "WHERE j.journal_id = ANY(%b)")

SUBSTITUTIONS = """
SELECT absent_teacher_id::text, substitute_id::text, starts_on, ends_on, journal_ids::text[],
       course_unit_ids::text[]
FROM substitutions WHERE absent_teacher_id::text = ANY(%b::text[]) AND %b::date BETWEEN starts_on AND ends_on
"""

ROSTER = """
SELECT DISTINCT ON (e.student_id) e.student_id, e.subgroup_id FROM enrollments e
WHERE e.group_id = %b AND e.until IS NULL AND (%b::uuid IS NULL OR e.subgroup_id = %b::uuid)
ORDER BY e.student_id
"""


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
    # The faculty's university, from curriculum's StructureUnitDefined (the `names` table): a
    # university-wide role (the registrar office, the vice-rector) reaches the journal through it.
    university_id: uuid.UUID | None = None

    def scope(self, student_id: str | None = None) -> ResourceScope:
        return ResourceScope(
            university_id=_str(self.university_id),
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


async def load_journal(
    session: AsyncSession, journal_id: uuid.UUID, day: date, *, for_subject: str | None = None
) -> JournalView:
    """The journal and who may write it on `day`. With `for_subject`, substitutions are looked up only
    if that person is not one of the journal's own teachers (the hot path of a teacher's write)."""
    conn = await raw_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(JOURNAL, (journal_id,))
        row = await cur.fetchone()
        if row is None:
            raise NotFound(f"journal {journal_id} not found", field="journal_id")
        teachers = tuple(row[13])
        substitutions: list[Substitution] = []
        if teachers and (for_subject is None or for_subject not in teachers):
            await cur.execute(SUBSTITUTIONS, (list(teachers), day))
            substitutions = [_substitution(r) for r in await cur.fetchall()]
    return _view(row, substitutions, day)


async def load_journals(
    session: AsyncSession, journal_ids: Sequence[uuid.UUID], day: date
) -> list[JournalView]:
    """Several journals at once, in the order asked (missing ones left out): two round trips however
    many there are (the journals with their teachers, then the substitutions of all those teachers)."""
    if not journal_ids:
        return []
    conn = await raw_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(JOURNALS, (list(journal_ids),))
        rows = {r[0]: r for r in await cur.fetchall()}
        teachers = sorted({t for r in rows.values() for t in r[13]})
        substitutions: list[Substitution] = []
        if teachers:
            await cur.execute(SUBSTITUTIONS, (teachers, day))
            substitutions = [_substitution(r) for r in await cur.fetchall()]
    return [_view(rows[j], substitutions, day) for j in journal_ids if j in rows]


def _substitution(r: Sequence[Any]) -> Substitution:
    return Substitution(r[0], r[1], r[2], r[3], frozenset(r[4]), frozenset(r[5]))


def _view(row: Sequence[Any], substitutions: list[Substitution], day: date) -> JournalView:
    (
        journal,
        term,
        unit,
        group,
        subgroup,
        lesson_type,
        profile,
        department,
        faculty,
        locked,
        title,
        kind,
        parent,
    ) = row[:13]
    teachers = tuple(row[13])
    return JournalView(
        journal,
        term,
        unit,
        group,
        subgroup,
        lesson_type,
        profile,
        department,
        faculty,
        locked,
        title,
        kind,
        parent,
        teachers,
        writers(teachers, substitutions, str(journal), str(unit), day),
        row[14],
    )


def refusal(principal: Principal | None, action: str) -> Exception:
    """What a caller hears about something missing: exactly what they would hear about someone
    else's, so the answer reveals no existence."""
    if principal is None:
        return Unauthenticated("a bearer token is required", field="authorization")
    return PermissionDenied(f"permission denied: {action}")


async def authorized_journal(
    session: AsyncSession, principal: Principal | None, action: str, journal_id: uuid.UUID, day: date
) -> JournalView:
    """The journal, if the caller may perform `action` on it; otherwise PermissionDenied (no hint): a
    missing journal is refused exactly like someone else's, so the answer reveals no existence."""
    try:
        journal = await load_journal(
            session, journal_id, day, for_subject=principal.subject if principal is not None else None
        )
    except NotFound:
        raise refusal(principal, action) from None
    require(principal, action, journal.scope())
    return journal


async def roster(session: AsyncSession, journal: JournalView) -> dict[uuid.UUID, uuid.UUID | None]:
    conn = await raw_connection(session)
    async with conn.cursor(binary=True) as cur:
        await cur.execute(ROSTER, (journal.group_id, journal.subgroup_id, journal.subgroup_id))
        return {r[0]: r[1] for r in await cur.fetchall()}
