"""A journal as every use case sees it: where it sits (faculty, department, group, course unit) for the
policy module, its profile, its lock, and who may write it today (teachers and substitutes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ejournal_platform.authz import ResourceScope
from services.gradebook.domain.access import Writers


@dataclass(frozen=True, kw_only=True)
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
