"""What deciding on a group's personal data needs (issue 13), read in one statement: where the group
sits (specialty, faculty, university), the teachers of its teaching load, and who substitutes for one
of them today.

Why one statement: every grid the portal opens asks curriculum for the group's names, and reading the
group, specialty, faculty, university, teaching load and substitutions one after another was six round
trips, most of curriculum's share of a grid read (docs/perf/README.md, "Grid reads"). Why plain SQL on
the psycopg connection: ListGroupMembers sends it in one pipeline with the members, on a connection
lent without the ORM session (group_members_sql.py); a student's history runs the same text on its
session's connection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope
from ejournal_platform.binary_statements import driver_connection

# Ids as text straight from PostgreSQL (the same form str(uuid) gives): the scope compares text ids.
# "Today" is the database's date, for the substitutions as for every other reader of them.
ACCESS = """
SELECT f.university_id::text, s.faculty_id::text, g.specialty_id::text,
       (SELECT array_agg(t.teacher_id::text) FROM teaching_loads t
        WHERE t.group_id = g.id AND t.removed_at IS NULL),
       (SELECT array_agg(DISTINCT sub.substitute_id)
        FROM substitutions sub JOIN teaching_loads t ON t.teacher_id::text = sub.absent_teacher_id
        WHERE t.group_id = g.id AND t.removed_at IS NULL
          AND (cardinality(sub.course_unit_ids) = 0 OR t.course_unit_id::text = ANY (sub.course_unit_ids))
          AND sub.starts_on <= current_date
          AND current_date <= least(coalesce(sub.ended_on, sub.ends_on), sub.ends_on))
FROM groups g
JOIN specialties s ON s.id = g.specialty_id
JOIN faculties f ON f.id = s.faculty_id
JOIN universities u ON u.id = f.university_id
WHERE g.id = %b
"""


@dataclass(frozen=True)
class GroupAccess:
    university_id: str
    faculty_id: str
    specialty_id: str
    group_id: str
    teacher_ids: frozenset[str]  # its teaching load's teachers
    substitute_ids: frozenset[str]  # who substitutes for one of them today

    def scope(self) -> ResourceScope:
        """The group's place with its teachers and today's substitutes as assignees."""
        return ResourceScope(
            university_id=self.university_id,
            faculty_id=self.faculty_id,
            specialty_id=self.specialty_id,
            group_id=self.group_id,
            assignee_ids=self.teacher_ids | self.substitute_ids,
        )


async def queue_group_access(cursor: psycopg.AsyncCursor[Any], group_id: uuid.UUID) -> None:
    """Send ACCESS on a binary cursor (possibly inside the caller's pipeline); `group_access_row` reads it."""
    await cursor.execute(ACCESS, (group_id,))


async def group_access_row(cursor: psycopg.AsyncCursor[Any], group_id: uuid.UUID) -> GroupAccess | None:
    """None for a group that does not exist (or whose specialty, faculty or university does not)."""
    row = await cursor.fetchone()
    if row is None:
        return None
    university_id, faculty_id, specialty_id, teacher_ids, substitute_ids = row
    return GroupAccess(
        university_id,
        faculty_id,
        specialty_id,
        str(group_id),
        frozenset(teacher_ids or ()),
        frozenset(substitute_ids or ()),
    )


async def group_access(session: AsyncSession, group_id: uuid.UUID) -> GroupAccess | None:
    """ACCESS on the session's own connection, so inside its transaction (a student's history)."""
    async with (await driver_connection(session)).cursor(binary=True) as cursor:
        await queue_group_access(cursor, group_id)
        return await group_access_row(cursor, group_id)
