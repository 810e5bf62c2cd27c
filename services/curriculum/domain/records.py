"""What curriculum's use cases return: plain, frozen values with the fields of the rows they were
read from (adapters/records.py makes them), never the ORM objects themselves, so an entrypoint can
neither lazy-load nor change what it was given (issue 15, part 4)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class University:
    id: uuid.UUID
    code: str
    title: str
    profile_code: str
    time_zone: str


@dataclass(frozen=True, slots=True)
class Faculty:
    id: uuid.UUID
    university_id: uuid.UUID
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Department:
    id: uuid.UUID
    faculty_id: uuid.UUID
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Specialty:
    id: uuid.UUID
    faculty_id: uuid.UUID
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Group:
    id: uuid.UUID
    specialty_id: uuid.UUID
    academic_year_id: uuid.UUID
    course_number: int
    code: str
    language: str


@dataclass(frozen=True, slots=True)
class Subgroup:
    id: uuid.UUID
    group_id: uuid.UUID
    code: str


@dataclass(frozen=True, slots=True)
class Classroom:
    id: uuid.UUID
    university_id: uuid.UUID
    code: str
    building: str
    capacity: int
    secret: bytes
    secret_version: int
    rotated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AcademicYear:
    id: uuid.UUID
    university_id: uuid.UUID
    code: str
    starts_on: dt.date
    ends_on: dt.date
    load_from: dt.date
    load_until: dt.date
    correction_from: dt.date
    correction_until: dt.date


@dataclass(frozen=True, slots=True)
class Term:
    id: uuid.UUID
    academic_year_id: uuid.UUID
    number: int
    starts_on: dt.date
    ends_on: dt.date
    revision: int


@dataclass(frozen=True, slots=True)
class ControlEvent:
    id: uuid.UUID
    kind: str
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    term_id: uuid.UUID
    date: dt.date
    grade_entry_deadline: dt.datetime
    closing_deadline: dt.datetime | None
    revision: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: uuid.UUID
    at: dt.datetime
    actor_id: str
    action: str
    entity: str
    entity_id: uuid.UUID
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


@dataclass(frozen=True, slots=True)
class Movement:
    id: uuid.UUID
    kind: str
    student_id: uuid.UUID
    student_name: str
    from_group_id: uuid.UUID | None
    from_subgroup_id: uuid.UUID | None
    group_id: uuid.UUID | None
    subgroup_id: uuid.UUID | None
    order_number: str
    order_date: dt.date
    effective_date: dt.date
    reason: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Placement:
    id: uuid.UUID
    student_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    valid_from: dt.date
    valid_until: dt.date | None
    opened_by: uuid.UUID
    closed_by: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class CourseUnit:
    id: uuid.UUID
    academic_year_id: uuid.UUID
    specialty_id: uuid.UUID
    course_number: int
    term_id: uuid.UUID
    kind: str
    parent_id: uuid.UUID | None
    position: int
    code: str
    title: str
    department_id: uuid.UUID
    profile_code: str
    credits: Decimal
    has_own_exam: bool
    revision: int
    removed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class TeachingLoad:
    id: uuid.UUID
    teacher_id: uuid.UUID
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    lesson_type: str
    term_id: uuid.UUID
    department_id: uuid.UUID
    faculty_id: uuid.UUID
    hours: int
    revision: int
    removed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class LessonPlan:
    id: uuid.UUID
    course_unit_id: uuid.UUID
    lesson_type: str
    group_id: uuid.UUID | None
    subgroup_id: uuid.UUID | None
    department_id: uuid.UUID
    protocol_number: str
    protocol_date: dt.date
    uploaded_by: str
    uploaded_at: dt.datetime
    revision: int


@dataclass(frozen=True, slots=True)
class LessonPlanItem:
    plan_id: uuid.UUID
    number: int
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time | None
    topic: str
    hours: int
    teacher_id: uuid.UUID
    classroom_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Lesson:
    id: uuid.UUID
    course_unit_id: uuid.UUID
    group_id: uuid.UUID
    subgroup_id: uuid.UUID | None
    lesson_type: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    classroom_id: uuid.UUID | None
    teacher_id: uuid.UUID
    topic: str
    number: int
    term_id: uuid.UUID
    load_id: uuid.UUID | None
    revision: int
    cancelled_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Import:
    """What one import did (GetImport): its kind is `<kind>:<academic year id>`."""

    id: uuid.UUID
    kind: str
    file_name: str
    status: str
    rows_total: int
    rows_changed: int
    errors: list[dict[str, Any]]
    errors_truncated: bool
    rows_added: int
    rows_updated: int
    rows_removed: int
    removals_refused: int
    sync: bool
    language: str
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class GroupWithSubgroups:
    group: Group
    subgroups: list[Subgroup]
    faculty_id: str


@dataclass(frozen=True)
class StructureTree:
    university: University
    faculties: list[Faculty]
    departments: list[Department]
    specialties: list[Specialty]
