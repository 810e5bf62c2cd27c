"""Events as the contracts define them (ejournal.curriculum.v1), built from the stored rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from services.curriculum.adapters.models import (
    ControlEvent,
    CourseUnit,
    Lesson,
    Movement,
    TeachingLoad,
    Term,
)
from services.curriculum.domain import records as rec


def s(value: uuid.UUID | date | datetime | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def local(value: datetime | None, zone: ZoneInfo) -> str:
    """An instant in the university's own offset, as the registrar set it ("…T23:59:00+05:00")."""
    return value.astimezone(zone).isoformat() if value is not None else ""


def lesson_type_pb(name: str) -> ev.LessonType.ValueType:
    return ev.LessonType.Value(f"LESSON_TYPE_{name.upper()}")


V = TypeVar("V", bound=int)


def enum_word(name_of: Callable[[V], str], value: V, prefix: str) -> str:
    """The domain's word for a contract enum value ("intermediate_attestation"). A number the contract
    does not define (a newer or a forged client) comes back as its digits, for the use case to refuse
    naming the field instead of failing as an internal error."""
    try:
        return name_of(value).removeprefix(prefix).lower()
    except ValueError:
        return str(value)


def lesson_type_name(value: ev.LessonType.ValueType) -> str:
    return enum_word(ev.LessonType.Name, value, "LESSON_TYPE_")


def kind_pb(name: str) -> ev.CourseUnitKind.ValueType:
    return ev.CourseUnitKind.Value(f"COURSE_UNIT_KIND_{name.upper()}")


def kind_name(value: ev.CourseUnitKind.ValueType) -> str:
    return enum_word(ev.CourseUnitKind.Name, value, "COURSE_UNIT_KIND_")


def control_kind_pb(name: str) -> ev.ControlEventKind.ValueType:
    return ev.ControlEventKind.Value(f"CONTROL_EVENT_KIND_{name.upper()}")


def control_kind_name(value: ev.ControlEventKind.ValueType) -> str:
    return enum_word(ev.ControlEventKind.Name, value, "CONTROL_EVENT_KIND_")


def order_pb(number: str, day: date) -> ev.Order:
    return ev.Order(number=number, date=day.isoformat())


MOVEMENT_FIELDS = (
    "id",
    "kind",
    "student_id",
    "group_id",
    "subgroup_id",
    "from_group_id",
    "from_subgroup_id",
    "order_number",
    "order_date",
    "effective_date",
    "reason",
)


def movement_event(
    m: Movement | Mapping[str, Any], faculty_id: uuid.UUID, academic_year_id: uuid.UUID
) -> Event:
    """From a stored movement or the plain row an import inserts (no ORM object per row)."""
    v = m if isinstance(m, Mapping) else {name: getattr(m, name) for name in MOVEMENT_FIELDS}
    order = order_pb(v["order_number"], v["order_date"])
    payload: ev.StudentEnrolled | ev.StudentTransferred | ev.StudentExpelled
    if v["kind"] == "enrolled":
        payload = ev.StudentEnrolled(
            movement_id=s(v["id"]),
            student_id=s(v["student_id"]),
            group_id=s(v["group_id"]),
            subgroup_id=s(v["subgroup_id"]),
            order=order,
            effective_date=s(v["effective_date"]),
            faculty_id=s(faculty_id),
            academic_year_id=s(academic_year_id),
        )
    elif v["kind"] == "transferred":
        payload = ev.StudentTransferred(
            movement_id=s(v["id"]),
            student_id=s(v["student_id"]),
            from_group_id=s(v["from_group_id"]),
            from_subgroup_id=s(v["from_subgroup_id"]),
            to_group_id=s(v["group_id"]),
            to_subgroup_id=s(v["subgroup_id"]),
            order=order,
            effective_date=s(v["effective_date"]),
            faculty_id=s(faculty_id),
        )
    else:
        payload = ev.StudentExpelled(
            movement_id=s(v["id"]),
            student_id=s(v["student_id"]),
            group_id=s(v["from_group_id"]),
            subgroup_id=s(v["from_subgroup_id"]),
            order=order,
            effective_date=s(v["effective_date"]),
            reason=v["reason"],
        )
    return Event(payload=payload, subject=f"student/{v['student_id']}")


def course_unit_event(
    unit: CourseUnit | rec.CourseUnit,
    hours: dict[str, int],
    faculty_id: uuid.UUID,
    is_last_part: bool = False,
) -> Event:
    payload = ev.CourseUnitDefined(
        course_unit_id=s(unit.id),
        kind=kind_pb(unit.kind),
        parent_id=s(unit.parent_id),
        profile_code=unit.profile_code,
        title=unit.title,
        term_id=s(unit.term_id),
        academic_year_id=s(unit.academic_year_id),
        specialty_id=s(unit.specialty_id),
        course_number=unit.course_number,
        department_id=s(unit.department_id),
        code=unit.code,
        position=unit.position,
        is_last_part=is_last_part,
        credits=str(unit.credits),
        hours_total=sum(hours.values()),
        hours=[ev.LessonHours(lesson_type=lesson_type_pb(t), hours=h) for t, h in sorted(hours.items())],
        revision=unit.revision,
        faculty_id=s(faculty_id),
        has_own_exam=unit.has_own_exam,
    )
    return Event(payload=payload, subject=f"course_unit/{unit.id}")


def term_event(term: Term) -> Event:
    payload = ev.TermDefined(
        term_id=s(term.id),
        academic_year_id=s(term.academic_year_id),
        number=term.number,
        starts_on=s(term.starts_on),
        ends_on=s(term.ends_on),
        revision=term.revision,
    )
    return Event(payload=payload, subject=f"term/{term.id}")


LOAD_FIELDS = (
    "id",
    "teacher_id",
    "course_unit_id",
    "group_id",
    "subgroup_id",
    "lesson_type",
    "term_id",
    "department_id",
    "faculty_id",
    "hours",
    "revision",
)


def load_fields(load: TeachingLoad | Mapping[str, Any]) -> dict[str, Any]:
    v = load if isinstance(load, Mapping) else {name: getattr(load, name) for name in LOAD_FIELDS}
    return dict(
        load_id=s(v["id"]),
        teacher_id=s(v["teacher_id"]),
        course_unit_id=s(v["course_unit_id"]),
        group_id=s(v["group_id"]),
        subgroup_id=s(v["subgroup_id"]),
        lesson_type=lesson_type_pb(v["lesson_type"]),
        term_id=s(v["term_id"]),
        department_id=s(v["department_id"]),
        faculty_id=s(v["faculty_id"]),
    )


def load_assigned_event(load: TeachingLoad | Mapping[str, Any], profile_code: str) -> Event:
    v = load if isinstance(load, Mapping) else {name: getattr(load, name) for name in LOAD_FIELDS}
    payload = ev.TeachingLoadAssigned(
        **load_fields(v), hours=v["hours"], profile_code=profile_code, revision=v["revision"]
    )
    return Event(payload=payload, subject=f"teaching_load/{v['id']}")


def load_removed_event(load: TeachingLoad, reason: str) -> Event:
    payload = ev.TeachingLoadRemoved(**load_fields(load), reason=reason)
    return Event(payload=payload, subject=f"teaching_load/{load.id}")


def lesson_event(lesson: Lesson) -> Event:
    payload = ev.LessonScheduled(
        lesson_id=s(lesson.id),
        course_unit_id=s(lesson.course_unit_id),
        group_id=s(lesson.group_id),
        subgroup_id=s(lesson.subgroup_id),
        lesson_type=lesson_type_pb(lesson.lesson_type),
        date=s(lesson.date),
        starts_at=lesson.starts_at.strftime("%H:%M"),
        ends_at=lesson.ends_at.strftime("%H:%M"),
        classroom_id=s(lesson.classroom_id),
        topic=lesson.topic,
        number=lesson.number,
        teacher_id=s(lesson.teacher_id),
        term_id=s(lesson.term_id),
        load_id=s(lesson.load_id),
        revision=lesson.revision,
    )
    return Event(payload=payload, subject=f"lesson/{lesson.id}")


def control_event_event(
    event: ControlEvent, profile_code: str, department_id: uuid.UUID, faculty_id: uuid.UUID, zone: ZoneInfo
) -> Event:
    payload = ev.ControlEventScheduled(
        control_event_id=s(event.id),
        kind=control_kind_pb(event.kind),
        course_unit_id=s(event.course_unit_id),
        group_id=s(event.group_id),
        subgroup_id=s(event.subgroup_id),
        date=s(event.date),
        grade_entry_deadline=local(event.grade_entry_deadline, zone),
        closing_deadline=local(event.closing_deadline, zone),
        term_id=s(event.term_id),
        profile_code=profile_code,
        department_id=s(department_id),
        faculty_id=s(faculty_id),
        revision=event.revision,
    )
    return Event(payload=payload, subject=f"control_event/{event.id}")


def control_event_cancelled_event(event: ControlEvent, reason: str, by: str) -> Event:
    payload = ev.ControlEventCancelled(
        control_event_id=s(event.id),
        course_unit_id=s(event.course_unit_id),
        group_id=s(event.group_id),
        subgroup_id=s(event.subgroup_id),
        date=s(event.date),
        reason=reason,
        cancelled_by=by,
        revision=event.revision + 1,
    )
    return Event(payload=payload, subject=f"control_event/{event.id}")


def structure_event(kind: str, row: Any, parent_id: uuid.UUID | None, at: datetime) -> Event:
    """StructureUnitDefined: a unit's printable state (a group prints as its code)."""
    payload = ev.StructureUnitDefined(
        unit_id=s(row.id),
        kind=kind,
        code=row.code,
        title=getattr(row, "title", "") or row.code,
        parent_id=s(parent_id),
        time_zone=getattr(row, "time_zone", "") if kind == "university" else "",
        profile_code=getattr(row, "profile_code", "") if kind == "university" else "",
        defined_at=at.isoformat(),
    )
    return Event(payload=payload, subject=f"{kind}/{row.id}")
