"""Projections of curriculum's events: course units, terms, the contingent, teaching loads and the
schedule of lessons (the journal columns whose filling is measured)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.batch_consumer import Delivery
from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.adapters import read_models as rm
from services.reporting.adapters.projection_writes import set_columns
from services.reporting.service_layer.projections.registry import Projector, Upsert, day, instant

projector = Projector("reporting-curriculum", stream_name("curriculum"), stream_subjects("curriculum"))
Row = Mapping[str, Any]


def _all(table: Table) -> tuple[str, ...]:
    """Every column the event fills; the university is the database's (ejournal_platform.tenancy)."""
    return tuple(c.name for c in table.columns if c.name != "university_id")


COURSE_UNIT = Upsert(rm.course_unit, _all(rm.course_unit), guard="revision")
TERM = Upsert(rm.term, _all(rm.term), guard="revision")
ENROLLMENT = Upsert(rm.enrollment, _all(rm.enrollment))
LOAD = Upsert(rm.teaching_load, _all(rm.teaching_load), guard="revision")
LESSON = Upsert(rm.lesson, _all(rm.lesson), guard="revision")
STRUCTURE_UNIT = Upsert(rm.structure_unit, _all(rm.structure_unit), guard="defined_at")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def lesson_type_name(value: ev.LessonType.ValueType) -> str:
    """LESSON_TYPE_PRACTICAL -> "practical": the gradebook's spelling of the same thing."""
    return ev.LessonType.Name(value).removeprefix("LESSON_TYPE_").lower() if value else ""


def unit_kind_name(value: ev.CourseUnitKind.ValueType) -> str:
    return ev.CourseUnitKind.Name(value).removeprefix("COURSE_UNIT_KIND_").lower() if value else ""


@projector.rows(ev.CourseUnitDefined, COURSE_UNIT)
def course_unit_defined(e: ev.CourseUnitDefined, _: Delivery) -> Row:
    return {
        "course_unit_id": e.course_unit_id,
        "kind": unit_kind_name(e.kind),
        "parent_id": e.parent_id,
        "profile_code": e.profile_code,
        "title": e.title,
        "code": e.code,
        "term_id": e.term_id,
        "academic_year_id": e.academic_year_id,
        "specialty_id": e.specialty_id,
        "course_number": e.course_number,
        "department_id": e.department_id,
        "faculty_id": e.faculty_id,
        "removed": False,
        "revision": e.revision,
    }


@projector.on(ev.CourseUnitRemoved)
async def course_unit_removed(session: AsyncSession, e: ev.CourseUnitRemoved, _: Delivery) -> None:
    await set_columns(session, rm.course_unit, {"course_unit_id": e.course_unit_id}, removed=True)


@projector.rows(ev.StructureUnitDefined, STRUCTURE_UNIT)
def structure_unit_defined(e: ev.StructureUnitDefined, _: Delivery) -> Row:
    return {
        "unit_id": e.unit_id,
        "kind": e.kind,
        "code": e.code,
        "title": e.title or e.code,
        "parent_id": e.parent_id,
        "time_zone": e.time_zone,
        "profile_code": e.profile_code,
        "defined_at": instant(e.defined_at) or EPOCH,
    }


@projector.rows(ev.TermDefined, TERM)
def term_defined(e: ev.TermDefined, _: Delivery) -> Row:
    return {
        "term_id": e.term_id,
        "academic_year_id": e.academic_year_id,
        "number": e.number,
        "starts_on": day(e.starts_on),
        "ends_on": day(e.ends_on),
        "revision": e.revision,
    }


@projector.rows(ev.StudentEnrolled, ENROLLMENT)
def student_enrolled(e: ev.StudentEnrolled, _: Delivery) -> Row:
    return {
        "student_id": e.student_id,
        "group_id": e.group_id,
        "subgroup_id": e.subgroup_id,
        "faculty_id": e.faculty_id,
        "active": True,
        "effective_date": day(e.effective_date),
    }


@projector.rows(ev.StudentTransferred, ENROLLMENT)
def student_transferred(e: ev.StudentTransferred, _: Delivery) -> Row:
    return {
        "student_id": e.student_id,
        "group_id": e.to_group_id,
        "subgroup_id": e.to_subgroup_id,
        "faculty_id": e.faculty_id,
        "active": True,
        "effective_date": day(e.effective_date),
    }


@projector.on(ev.StudentExpelled)
async def student_expelled(session: AsyncSession, e: ev.StudentExpelled, _: Delivery) -> None:
    await set_columns(
        session,
        rm.enrollment,
        {"student_id": e.student_id},
        active=False,
        effective_date=day(e.effective_date),
    )


@projector.rows(ev.TeachingLoadAssigned, LOAD)
def load_assigned(e: ev.TeachingLoadAssigned, _: Delivery) -> Row:
    return {
        "load_id": e.load_id,
        "teacher_id": e.teacher_id,
        "course_unit_id": e.course_unit_id,
        "group_id": e.group_id,
        "subgroup_id": e.subgroup_id,
        "lesson_type": lesson_type_name(e.lesson_type),
        "term_id": e.term_id,
        "department_id": e.department_id,
        "faculty_id": e.faculty_id,
        "hours": e.hours,
        "profile_code": e.profile_code,
        "removed": False,
        "revision": e.revision,
    }


@projector.on(ev.TeachingLoadRemoved)
async def load_removed(session: AsyncSession, e: ev.TeachingLoadRemoved, _: Delivery) -> None:
    await set_columns(session, rm.teaching_load, {"load_id": e.load_id}, removed=True)


@projector.rows(ev.LessonScheduled, LESSON)
def lesson_scheduled(e: ev.LessonScheduled, _: Delivery) -> Row:
    return {
        "lesson_id": e.lesson_id,
        "course_unit_id": e.course_unit_id,
        "group_id": e.group_id,
        "subgroup_id": e.subgroup_id,
        "lesson_type": lesson_type_name(e.lesson_type),
        "lesson_date": day(e.date),
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "classroom_id": e.classroom_id,
        "topic": e.topic,
        "number": e.number,
        "teacher_id": e.teacher_id,
        "term_id": e.term_id,
        "load_id": e.load_id,
        "cancelled": False,
        "revision": e.revision,
    }


@projector.on(ev.LessonCancelled)
async def lesson_cancelled(session: AsyncSession, e: ev.LessonCancelled, _: Delivery) -> None:
    await set_columns(session, rm.lesson, {"lesson_id": e.lesson_id}, cancelled=True)
