"""What the two demo universities' teaching is made of: course units, loads, weekly lessons, control
events — each through its use case, with the demo's people (`deploy/demo/university.py`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from deploy.demo.model import Person, Specialty
from deploy.demo.seed.curriculum_structure import Built
from ejournal_platform.context import Principal
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import control_events, curriculum, schedule, teaching_load
from services.curriculum.service_layer.control_events import ScheduleControlEvent
from services.curriculum.service_layer.curriculum import DefineCourseUnit, UnitView
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.schedule import ScheduleLesson
from services.curriculum.service_layer.teaching_load import AssignTeachingLoad

REASON = "демо-деректер / демо-данные / demo data"


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


async def course_unit(
    deps: Deps,
    built: Built,
    specialty: Specialty,
    course: int,
    kind: CourseUnitKind,
    code: str,
    title: str,
    department_id: str,
    credits: int,
    hours: dict[LessonType, int],
    parts: tuple[PartSpec, ...] = (),
) -> UnitView:
    """A course unit of the first term of `course` in the specialty's working curriculum (KZ-02/03)."""
    spec = CourseUnitSpec(
        built.year_id,
        built[specialty],
        course,
        1,
        kind,
        code,
        title,
        department_id,
        specialty.faculty.university.profile,
        Decimal(credits),
        hours,
        parts,
    )
    return await curriculum.define_course_unit(deps, built.by, DefineCourseUnit(spec=spec, reason=REASON))


async def load(
    deps: Deps,
    by: Principal,
    teacher: Person,
    unit: str,
    group: str,
    lesson_type: str,
    hours: int,
    subgroup: str = "",
) -> None:
    await teaching_load.assign_teaching_load(
        deps,
        by,
        AssignTeachingLoad(
            teacher_id=teacher.id,
            course_unit_id=unit,
            group_id=group,
            subgroup_id=subgroup,
            lesson_type=lesson_type,
            hours=hours,
        ),
    )


async def weekly(
    deps: Deps,
    by: Principal,
    unit: str,
    group: str,
    subgroup: str,
    lesson_type: str,
    teacher: Person,
    room: str,
    first: date,
    weeks: int,
    times: tuple[str, str],
    topic: str,
) -> None:
    """The same lesson once a week for `weeks` weeks from `first`."""
    for week in range(weeks):
        day = (first + timedelta(weeks=week)).isoformat()
        await schedule.schedule_lesson(
            deps,
            by,
            ScheduleLesson(
                course_unit_id=unit,
                group_id=group,
                subgroup_id=subgroup,
                lesson_type=lesson_type,
                date=day,
                starts_at=times[0],
                ends_at=times[1],
                classroom_id=room,
                teacher_id=teacher.id,
                topic=f"{topic} {week + 1}",
                number=week + 1,
            ),
        )


async def control(
    deps: Deps, by: Principal, kind: str, unit: str, group: str, day: date, subgroup: str = ""
) -> None:
    await control_events.schedule_control_event(
        deps,
        by,
        ScheduleControlEvent(
            kind=kind, course_unit_id=unit, group_id=group, subgroup_id=subgroup, date=day.isoformat()
        ),
    )
