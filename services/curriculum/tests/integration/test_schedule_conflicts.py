"""Schedule conflicts: a teacher, group, subgroup or classroom booked twice at the same time is refused
naming both lessons, through the use case and through an import; subgroups of one group may run side
by side, a stream lecture shares its teacher and hall, and a substitution is the explicit exception
for the teacher only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models.records import AuditEntry
from services.curriculum.service_layer import schedule, teaching_load
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.schedule import ScheduleLesson
from services.curriculum.service_layer.teaching_load import AssignTeachingLoad
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import outbox_events
from services.curriculum.tests.integration.test_imports import LOAD_HEADER, SCHEDULE_HEADER, csv_bytes, run
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration

TEACHER = str(person_id_for_login("gulnara.akhmetova"))
OTHER = str(person_id_for_login("serik.nurlanov"))
THIRD = str(person_id_for_login("aigerim.sadykova"))


def lesson(unit: str, group: str, teacher: str = TEACHER, **kw: str) -> ScheduleLesson:
    values = dict(
        course_unit_id=unit,
        group_id=group,
        subgroup_id="",
        lesson_type="practical",
        date="2026-09-02",
        starts_at="09:00",
        ends_at="10:40",
        classroom_id="",
        teacher_id=teacher,
    )
    values.update(kw)
    return ScheduleLesson(**values)  # type: ignore[arg-type]


async def loads(deps: Deps, *items: tuple[str, str, str, str, str], by: Principal) -> None:
    for teacher, unit, group, subgroup, lesson_type in items:
        await teaching_load.assign_teaching_load(
            deps,
            by,
            AssignTeachingLoad(
                teacher_id=teacher,
                course_unit_id=unit,
                group_id=group,
                subgroup_id=subgroup,
                lesson_type=lesson_type,
                hours=30,
            ),
        )


async def refused(deps: Deps, data: ScheduleLesson, *, by: Principal) -> FailedPrecondition:
    with pytest.raises(FailedPrecondition) as caught:
        await schedule.schedule_lesson(deps, by, data)
    return caught.value


async def test_a_group_subgroup_teacher_or_classroom_booked_twice_is_refused_naming_both_lessons(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    hist = await define_discipline(deps, w, "HIST-1", by=caller)
    caller = registrar(w.university)
    await loads(
        deps,
        (TEACHER, anat, w.group1, "", "practical"),
        (OTHER, hist, w.group1, "", "practical"),
        (TEACHER, hist, w.group2, w.subgroup_a, "practical"),
        (OTHER, anat, w.group2, w.subgroup_b, "practical"),
        (THIRD, anat, w.group2, w.subgroup_a, "practical"),
        (THIRD, anat, w.group2, "", "practical"),
        by=caller,
    )
    first = await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, classroom_id=w.room))

    group = await refused(deps, lesson(hist, w.group1, OTHER, starts_at="10:00", ends_at="11:00"), by=caller)
    assert group.field == "group_id" and "the group is double-booked" in group.message
    assert f"lesson {first.id} (practical, 2026-09-02 09:00–10:40)" in group.message
    assert "10:00–11:00" in group.message  # the refused lesson is named too

    teacher = await refused(
        deps, lesson(hist, w.group2, subgroup_id=w.subgroup_a, starts_at="09:30", ends_at="10:30"), by=caller
    )
    assert teacher.field == "teacher_id" and str(first.id) in teacher.message

    room = await refused(
        deps, lesson(anat, w.group2, OTHER, subgroup_id=w.subgroup_b, classroom_id=w.room), by=caller
    )
    assert room.field == "classroom_id" and str(first.id) in room.message

    # Two subgroups of one group side by side (different teachers, no shared room) are fine ...
    b = await schedule.schedule_lesson(
        deps,
        caller,
        lesson(anat, w.group2, OTHER, subgroup_id=w.subgroup_b, starts_at="12:00", ends_at="13:00"),
    )
    a = await schedule.schedule_lesson(
        deps,
        caller,
        lesson(hist, w.group2, subgroup_id=w.subgroup_a, starts_at="12:00", ends_at="13:00"),
    )
    assert a.id != b.id
    # ... but not the same subgroup twice, nor the whole group over one of them.
    sub = await refused(
        deps,
        lesson(anat, w.group2, THIRD, subgroup_id=w.subgroup_a, starts_at="12:30", ends_at="13:30"),
        by=caller,
    )
    assert sub.field == "subgroup_id" and str(a.id) in sub.message
    whole = await refused(deps, lesson(anat, w.group2, THIRD, starts_at="12:30", ends_at="13:30"), by=caller)
    assert whole.field == "group_id"
    # Back to back is not a conflict.
    await schedule.schedule_lesson(
        deps, caller, lesson(hist, w.group1, OTHER, starts_at="10:40", ends_at="12:00")
    )


async def test_a_stream_lecture_shares_its_hall_and_a_substitution_excuses_only_the_teacher(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    hist = await define_discipline(deps, w, "HIST-1", by=caller)
    caller = registrar(w.university)
    await loads(
        deps,
        (TEACHER, anat, w.group1, "", "lecture"),
        (TEACHER, anat, w.group2, "", "lecture"),
        (TEACHER, hist, w.group2, "", "practical"),
        (TEACHER, hist, w.group1, "", "practical"),
        by=caller,
    )
    stream = dict(lesson_type="lecture", classroom_id=w.room)
    await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, **stream))
    await schedule.schedule_lesson(deps, caller, lesson(anat, w.group2, **stream))  # one lecture, two groups
    assert len(await outbox_events(deps, ev.LessonScheduled)) == 2

    later = dict(date="2026-09-03")
    await schedule.schedule_lesson(deps, caller, lesson(hist, w.group1, **later))
    plain = lesson(anat, w.group2, lesson_type="lecture", **later)  # another unit for the same teacher
    assert (await refused(deps, plain, by=caller)).field == "teacher_id"
    reference = "кафедра отырысы № 4, 01.09.2026"
    substituting = lesson(anat, w.group2, lesson_type="lecture", substitution_reference=reference, **later)
    substitute = await schedule.schedule_lesson(deps, caller, substituting)  # the department's decision
    # The exception is audited: the decision's reference and the lesson whose teacher it double-books.
    async with deps.uow() as uow:
        entries = select(AuditEntry.reason).where(AuditEntry.entity == "lesson")
        audited = (await uow.session.scalars(entries.where(AuditEntry.entity_id == substitute.id))).all()
    (other,), _ = await schedule.list_lessons(deps, caller, w.group1, "", "2026-09-03", "2026-09-03")
    assert audited == [f"substitution: {reference}; the teacher's other lesson(s) at this time: {other.id}"]
    # A substitution never excuses the students' or the room's double booking.
    group = lesson(anat, w.group1, lesson_type="lecture", substitution_reference="№ 4", **later)
    assert (await refused(deps, group, by=caller)).field == "group_id"


async def test_an_import_refuses_a_double_booking_naming_both_lessons_and_applies_nothing(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    await define_discipline(deps, world, "HIST-1", by=caller)
    caller = registrar(world.university)
    load_rows = [["g.akhmetova", code, "ЖМ-101", "", "лекция", "30"] for code in ("ANAT-1", "HIST-1")]
    assert (
        await run(deps, world, "teaching_load", "l.csv", csv_bytes([LOAD_HEADER, *load_rows]), by=caller)
    ).status == "applied"
    rows = [
        [
            "ANAT-1",
            "ЖМ-101",
            "",
            "лекция",
            "2026-09-02",
            "09:00",
            "10:30",
            "А-101",
            "g.akhmetova",
            "Кіріспе",
            "1",
        ],
        ["HIST-1", "ЖМ-101", "", "лекция", "2026-09-02", "10:00", "11:00", "", "g.akhmetova", "Тарих", "1"],
    ]
    outcome = await run(
        deps, world, "schedule", "schedule.csv", csv_bytes([SCHEDULE_HEADER, *rows]), "en", by=caller
    )
    assert outcome.status == "rejected"
    [error] = outcome.errors
    assert error["row"] == 3 and "double-booked" in str(error["reason"])
    assert "09:00–10:30" in str(error["reason"]) and "10:00–11:00" in str(error["reason"])
    assert await outbox_events(deps, ev.LessonScheduled) == []
