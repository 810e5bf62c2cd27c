"""The schedule: lessons in time and room, each backed by the teacher's load (KG-02); the gradebook makes
each lesson a journal column (LessonScheduled / LessonCancelled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page, page_request
from services.curriculum.adapters import schedule_repo
from services.curriculum.adapters.ids import need_id, parse_id, stable_id
from services.curriculum.adapters.lookups import (
    course_unit_with_place,
    get,
    load_for,
    place_of_group,
    subgroup_of,
    term_dates,
)
from services.curriculum.adapters.models import Classroom, Lesson, Term
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations, day, time_of_day
from services.curriculum.domain.schedule import Booking, check_lesson
from services.curriculum.domain.vocabulary import LessonType
from services.curriculum.service_layer import audit, events
from services.curriculum.service_layer.authorization import require
from services.curriculum.service_layer.closed_sections import refuse_closed
from services.curriculum.service_layer.control_events import check_group_studies_unit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.schedule_conflicts import refuse_double_booking
from services.curriculum.service_layer.upsert import upsert


@dataclass(frozen=True, kw_only=True)
class ScheduleLesson:
    course_unit_id: str
    group_id: str
    subgroup_id: str
    lesson_type: str
    date: str
    starts_at: str
    ends_at: str
    classroom_id: str
    teacher_id: str
    topic: str = ""
    number: int = 0
    # The department's decision appointing this teacher as a substitute (KZ-07, KG-07): the explicit
    # exception that lets them be booked at the time of another lesson of theirs.
    substitution_reference: str = ""


@dataclass(frozen=True, kw_only=True)
class CancelLesson:
    lesson_id: str
    reason: str


async def schedule_lesson(deps: Deps, principal: Principal, cmd: ScheduleLesson) -> rec.Lesson:
    async with deps.uow() as uow:
        lesson, _ = await apply_lesson(uow, principal, cmd)
        await uow.commit()
        return lesson


async def apply_lesson(
    uow: UnitOfWork, principal: Principal, data: ScheduleLesson
) -> tuple[rec.Lesson, bool]:
    s = uow.session
    v = Violations()
    if data.lesson_type not in LessonType.__members__.values():
        v.add("lesson_type", f"{data.lesson_type!r} is not one of: {', '.join(LessonType)}")
    when = day(data.date, "date", v)
    start, end = time_of_day(data.starts_at, "starts_at", v), time_of_day(data.ends_at, "ends_at", v)
    if data.number < 0:
        v.add("number", "must not be negative")
    unit_id, group_id = need_id(data.course_unit_id, "course_unit_id"), need_id(data.group_id, "group_id")
    subgroup_id = parse_id(data.subgroup_id, "subgroup_id", required=False)
    teacher = need_id(data.teacher_id, "teacher_id")
    room = parse_id(data.classroom_id, "classroom_id", required=False)
    v.raise_if_any()
    assert when and start and end
    unit, _ = await course_unit_with_place(s, unit_id)
    place = await place_of_group(s, group_id)
    require(principal, "schedule.manage", place.scope())
    assert place.group is not None
    check_group_studies_unit(place.group, unit.academic_year_id, unit.specialty_id, unit.course_number)
    await subgroup_of(s, group_id, subgroup_id)
    term = await get(s, Term, unit.term_id, "course_unit_id", "term")
    check_lesson(when, start, end, term_dates(term), v)
    if room is not None:
        classroom = await get(s, Classroom, room, "classroom_id", "classroom")
        if classroom.university_id != place.university.id:
            v.add("classroom_id", "belongs to another university")
    v.raise_if_any()
    load = await load_for(s, teacher, unit_id, group_id, subgroup_id, data.lesson_type)
    lesson_id = stable_id(
        "lesson", unit_id, group_id, subgroup_id, data.lesson_type, when, start.strftime("%H:%M")
    )
    sub, classroom_id = str(subgroup_id) if subgroup_id else None, str(room) if room else None
    booking = Booking(
        str(lesson_id),
        str(unit_id),
        str(group_id),
        sub,
        data.lesson_type,
        when,
        start,
        end,
        str(teacher),
        classroom_id,
    )
    reference = data.substitution_reference.strip()
    excused = await refuse_double_booking(uow, booking, substitution=bool(reference))
    # The substitution's reference is the department's decision behind an exception: it is audited
    # with the lesson, naming the lessons whose teacher conflict it excused.
    reason = f"substitution: {reference}" if reference else ""
    if excused:
        reason += f"; the teacher's other lesson(s) at this time: {', '.join(excused)}"
    values = {
        "course_unit_id": unit_id,
        "group_id": group_id,
        "subgroup_id": subgroup_id,
        "lesson_type": data.lesson_type,
        "date": when,
        "starts_at": start,
        "ends_at": end,
        "classroom_id": room,
        "teacher_id": teacher,
        "topic": data.topic.strip(),
        "number": data.number,
        "term_id": term.id,
        "load_id": load.id,
        "cancelled_at": None,
    }
    existing = await s.get(Lesson, lesson_id)
    if existing is None or any(getattr(existing, k) != v for k, v in values.items()):
        # Closed means closed (issue 13): no lesson joins a closed section, and one there stays as it
        # is (sending it again unchanged, as a re-imported timetable does, is not a change).
        await refuse_closed(s, unit_id, group_id, subgroup_id, when)
    row, changed = await upsert(
        s, Lesson, lesson_id, values, actor=principal.subject, entity="lesson", reason=reason,
        bump_revision=True,
    )  # fmt: skip
    if not changed:
        return record(rec.Lesson, row), False
    uow.add_event(events.lesson_event(row))
    return record(rec.Lesson, row), True


async def cancel_lesson(deps: Deps, principal: Principal, cmd: CancelLesson) -> None:
    reason = cmd.reason
    if not reason.strip():
        raise InvalidArgument("reason", "cancelling a lesson needs a reason")
    lid = need_id(cmd.lesson_id, "lesson_id")
    async with deps.uow() as uow:
        s = uow.session
        row = await get(s, Lesson, lid, "lesson_id", "lesson")
        place = await place_of_group(s, row.group_id)
        require(principal, "schedule.manage", place.scope())
        if row.cancelled_at is not None:
            return
        await cancel_row(uow, row, principal.subject, reason, deps.clock())
        await uow.commit()


async def cancel_row(uow: UnitOfWork, row: Lesson, actor: str, reason: str, now: datetime) -> None:
    """Cancel one lesson (not inside a closed section), audited and published; no commit."""
    s = uow.session
    await refuse_closed(s, row.course_unit_id, row.group_id, row.subgroup_id, row.date, "lesson_id")
    row.cancelled_at = now
    row.revision += 1
    await s.flush()
    await audit.record(s, actor=actor, action="cancelled", entity="lesson", entity_id=row.id, reason=reason)
    uow.add_event(
        Event(payload=ev.LessonCancelled(lesson_id=str(row.id), reason=reason), subject=f"lesson/{row.id}")
    )


async def list_lessons(
    deps: Deps,
    principal: Principal,
    group_id: str,
    teacher_id: str,
    from_date: str,
    to_date: str,
    page: Page | None = None,
) -> tuple[list[rec.Lesson], str]:
    """One page of the lessons (by date, start, id) and the next page's token."""
    page = page or page_request(0, "")
    v = Violations()
    first, last = day(from_date, "from_date", v), day(to_date, "to_date", v)
    gid = parse_id(group_id, "group_id", required=False)
    tid = parse_id(teacher_id, "teacher_id", required=False)
    if not gid and not tid:
        v.add("group_id", "name a group or a teacher")
    v.raise_if_any()
    require(principal, "curriculum.read")
    assert first and last
    async with deps.uow() as uow:
        return await schedule_repo.lessons_page(uow.session, gid, tid, first, last, page)
