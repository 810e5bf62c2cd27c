"""What deciding on a group's personal data needs (issue 13), read in one statement: where the group
sits (specialty, faculty, university), the teachers of its teaching load, and who substitutes for one
of them today.

Why one statement: every grid the portal opens asks curriculum for the group's names, and reading the
group, specialty, faculty, university, teaching load and substitutions one after another was six round
trips, most of curriculum's share of a grid read (docs/perf/README.md, "Grid reads").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope
from services.curriculum.adapters.models import Faculty, Group, Specialty, TeachingLoad, University
from services.curriculum.adapters.received_repo import substitutes_of_group_query


@dataclass(frozen=True)
class GroupAccess:
    university_id: uuid.UUID
    faculty_id: uuid.UUID
    specialty_id: uuid.UUID
    group_id: uuid.UUID
    teacher_ids: frozenset[str]  # its teaching load's teachers
    substitute_ids: frozenset[str]  # who substitutes for one of them today

    def scope(self) -> ResourceScope:
        """The group's place with its teachers and today's substitutes as assignees."""
        return ResourceScope(
            university_id=str(self.university_id),
            faculty_id=str(self.faculty_id),
            specialty_id=str(self.specialty_id),
            group_id=str(self.group_id),
            assignee_ids=self.teacher_ids | self.substitute_ids,
        )


async def group_access(session: AsyncSession, group_id: uuid.UUID) -> GroupAccess | None:
    """None for a group that does not exist (or whose specialty, faculty or university does not)."""
    teachers = (
        select(func.array_agg(cast(TeachingLoad.teacher_id, String)))
        .where(TeachingLoad.group_id == Group.id, TeachingLoad.removed_at.is_(None))
        .scalar_subquery()
    )
    substitutes = substitutes_of_group_query(group_id).subquery()
    substituting = select(func.array_agg(substitutes.c.substitute_id)).scalar_subquery()
    row = (
        await session.execute(
            select(Faculty.university_id, Specialty.faculty_id, Group.specialty_id, teachers, substituting)
            .join(Specialty, Specialty.id == Group.specialty_id)
            .join(Faculty, Faculty.id == Specialty.faculty_id)
            .join(University, University.id == Faculty.university_id)
            .where(Group.id == group_id)
        )
    ).first()
    if row is None:
        return None
    university_id, faculty_id, specialty_id, teacher_ids, substitute_ids = row
    return GroupAccess(
        university_id,
        faculty_id,
        specialty_id,
        group_id,
        frozenset(teacher_ids or ()),
        frozenset(substitute_ids or ()),
    )
