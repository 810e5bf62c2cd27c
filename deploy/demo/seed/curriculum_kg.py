"""kg-jasu's demo teaching: mathematical analysis and programming for the physics-mathematics groups,
taught and graded per subgroup (KG-02), and general pedagogy for the primary-education group; loads, a
semester of weekly lessons and the control events of each (sub)group."""

from __future__ import annotations

from datetime import timedelta

from deploy.demo import university as u
from deploy.demo.seed.curriculum_structure import Built
from deploy.demo.seed.curriculum_teaching import (
    control,
    course_unit,
    load,
    weekday_on_or_after,
    weekly,
)
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import classrooms
from services.curriculum.service_layer.classrooms import DefineClassroom
from services.curriculum.service_layer.deps import Deps

L, K = LessonType, CourseUnitKind


async def teach(deps: Deps, built: Built) -> None:
    by = built.by  # the seed's principal for this university
    uni = built[u.KG_U]
    room = str(
        (
            await classrooms.define_classroom(
                deps,
                by,
                DefineClassroom(university_id=uni, code="215", building="Башкы имарат", capacity=40),
            )
        ).id
    )
    lab = str(
        (
            await classrooms.define_classroom(
                deps,
                by,
                DefineClassroom(university_id=uni, code="Комп-3", building="Башкы имарат", capacity=16),
            )
        ).id
    )
    hall = str(
        (
            await classrooms.define_classroom(
                deps,
                by,
                DefineClassroom(university_id=uni, code="108", building="Педагогика корпусу", capacity=60),
            )
        ).id
    )
    fm = u.KG_FM
    analysis = await course_unit(
        deps, built, fm, 1, K.DISCIPLINE, "MATH-AN-1", "Математикалык анализ", built[u.KG_MATH], 6,
        {L.LECTURE: 30, L.PRACTICAL: 30},
    )  # fmt: skip
    programming = await course_unit(
        deps, built, fm, 1, K.DISCIPLINE, "INF-PROG-1", "Программалоонун негиздери", built[u.KG_INFO], 5,
        {L.LECTURE: 15, L.LABORATORY: 30},
    )  # fmt: skip
    an, prog = str(analysis.unit.id), str(programming.unit.id)
    monday = weekday_on_or_after(built.year_start, 0)
    for i, group in enumerate((u.KG_G1, u.KG_G2)):
        g = built[group]
        await load(deps, by, u.KG_TEACHER1, an, g, "lecture", 30)
        await load(deps, by, u.KG_TEACHER_INFO, prog, g, "lecture", 15)
        await weekly(
            deps, by, an, g, "", "lecture", u.KG_TEACHER1, room, monday + timedelta(days=i), 10,
            ("08:00", "09:20"), "Лекция",
        )  # fmt: skip
        for s, sub in enumerate(built.subgroups[group.key]):
            await load(deps, by, u.KG_TEACHER2, an, g, "practical", 30, sub)
            await load(deps, by, u.KG_TEACHER_INFO, prog, g, "laboratory", 30, sub)
            await weekly(
                deps, by, an, g, sub, "practical", u.KG_TEACHER2, room, monday + timedelta(days=2 + i), 10,
                (f"{10 + 2 * s}:00", f"{11 + 2 * s}:20"), "Практикалык сабак",
            )  # fmt: skip
            await weekly(
                deps, by, prog, g, sub, "laboratory", u.KG_TEACHER_INFO, lab, monday + timedelta(days=3 + i),
                10, (f"{13 + 2 * s}:00", f"{14 + 2 * s}:20"), "Лабораториялык иш",
            )  # fmt: skip
            for unit in (an, prog):
                await control(deps, by, "midterm", unit, g, monday + timedelta(weeks=8, days=4), sub)
                await control(
                    deps, by, "intermediate_attestation", unit, g, monday + timedelta(weeks=16, days=i), sub
                )
    pedagogy = await course_unit(
        deps, built, u.KG_PB, 1, K.DISCIPLINE, "PED-GEN-1", "Жалпы педагогика", built[u.KG_PEDDEP], 4,
        {L.LECTURE: 30, L.SEMINAR: 30},
    )  # fmt: skip
    ped, g = str(pedagogy.unit.id), built[u.KG_G3]
    await load(deps, by, u.KG_HEAD_PED, ped, g, "lecture", 30)
    await load(deps, by, u.KG_TEACHER3, ped, g, "seminar", 30)
    await weekly(
        deps, by, ped, g, "", "lecture", u.KG_HEAD_PED, hall, monday, 10, ("11:00", "12:20"), "Лекция",
    )  # fmt: skip
    await weekly(
        deps, by, ped, g, "", "seminar", u.KG_TEACHER3, hall, monday + timedelta(days=1), 10,
        ("11:00", "12:20"), "Семинар",
    )  # fmt: skip
    await control(deps, by, "midterm", ped, g, monday + timedelta(weeks=8, days=2))
    await control(deps, by, "intermediate_attestation", ped, g, monday + timedelta(weeks=16, days=2))
