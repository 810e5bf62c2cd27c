"""Demo data for both profiles, loaded idempotently: `await seed_demo(database_url)` (the launcher calls
it; `python -m services.curriculum.entrypoints.seed` does the same from the command line).

Everything goes through the use cases, so the demo obeys the rules and publishes its events like any
registrar's work; every id is stable (uuid5 of a readable key) and every step is an upsert, so a second
run changes nothing. The academic year is the current one (from September), so the demo looks alive;
its dates lie in the past or future of "today" like a real semester's.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.context import set_principal
from ejournal_platform.db import make_engine
from ejournal_platform.outbox import OutboxWriter
from services.curriculum.adapters import tables
from services.curriculum.adapters.ids import person_id_for_login, stable_id
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.entrypoints import demo_data as demo
from services.curriculum.service_layer import (
    calendar,
    classrooms,
    contingent,
    control_events,
    curriculum,
    lesson_plans,
    schedule,
    structure,
    teaching_load,
)
from services.curriculum.service_layer.authorization import setup_principal
from services.curriculum.service_layer.contingent import OrderInput
from services.curriculum.service_layer.control_events import ControlEventInput
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.service_layer.lesson_plans import PlanInput, PlanItemInput
from services.curriculum.service_layer.schedule import LessonInput
from services.curriculum.service_layer.teaching_load import LoadInput

REASON = "демо-деректер / демо-данные / demo data"
L = LessonType


def pid(login: str) -> str:
    return str(person_id_for_login(login))


def year_start(today: date) -> int:
    return today.year if today.month >= 7 else today.year - 1


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass
class Year:
    id: str
    start: date


async def define_year(deps: Deps, university_id: str, today: date) -> Year:
    y = year_start(today)
    year = await calendar.define_academic_year(
        deps,
        university_id,
        f"{y}-{y + 1}",
        f"{y}-09-01",
        f"{y + 1}-06-30",
        [
            calendar.TermInput(1, f"{y}-09-01", f"{y + 1}-01-20"),
            calendar.TermInput(2, f"{y + 1}-01-26", f"{y + 1}-06-30"),
        ],
    )
    return Year(str(year.year.id), date(y, 9, 1))


async def weekly(
    deps: Deps,
    unit: str,
    group: str,
    subgroup: str,
    lesson_type: str,
    teacher: str,
    room: str,
    first: date,
    weeks: int,
    starts: str,
    ends: str,
    topic: str,
) -> None:
    for week in range(weeks):
        await schedule.schedule_lesson(
            deps,
            LessonInput(
                unit,
                group,
                subgroup,
                lesson_type,
                (first + timedelta(weeks=week)).isoformat(),
                starts,
                ends,
                room,
                teacher,
                f"{topic} {week + 1}",
                week + 1,
            ),
        )


async def control(deps: Deps, kind: str, unit: str, group: str, day: date, subgroup: str = "") -> None:
    await control_events.schedule_control_event(
        deps, ControlEventInput(kind, unit, group, subgroup, day.isoformat())
    )


async def enroll(
    deps: Deps, group: str, members: list[demo.Person], subgroups: list[str], start: date
) -> None:
    order = OrderInput("1245-б", (start - timedelta(days=7)).isoformat(), start.isoformat())
    for i, student in enumerate(members):
        subgroup = subgroups[i % len(subgroups)] if subgroups else ""
        await contingent.enroll_student(deps, pid(student.login), group, subgroup, order, student.full_name)


async def seed_kz_medical(deps: Deps, today: date) -> None:
    uni_id = str(stable_id("university", "kaznmu-demo"))
    set_principal(setup_principal(uni_id, "ejournal:demo-seed"))
    uni = await structure.define_university(
        deps,
        "kaznmu-demo",
        "С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
        "kz-medical",
        "Asia/Almaty",
    )
    school = await structure.define_faculty(deps, uni_id, "school-general-medicine", "Жалпы медицина мектебі")
    anatomy = await structure.define_department(deps, str(school.id), "anatomy", "Қалыпты анатомия кафедрасы")
    physiology = await structure.define_department(
        deps, str(school.id), "physiology", "Қалыпты физиология кафедрасы"
    )
    specialty = await structure.define_specialty(
        deps, str(school.id), "6B10101", "Жалпы медицина / Общая медицина"
    )
    year = await define_year(deps, str(uni.id), today)
    rooms = {
        code: str((await classrooms.define_classroom(deps, uni_id, code, building, size)).id)
        for code, building, size in [
            ("А-101", "Бас ғимарат", 30),
            ("А-102", "Бас ғимарат", 30),
            ("Б-201", "Морфологиялық корпус", 28),
            ("Дәрісхана-1", "Бас ғимарат", 150),
        ]
    }
    groups = []
    for code, language, members in demo.kz_groups():
        defined = await structure.define_group(deps, str(specialty.id), year.id, 1, code, language, [])
        await enroll(deps, str(defined.group.id), members, [], year.start)
        groups.append(str(defined.group.id))

    def unit(
        kind: CourseUnitKind,
        code: str,
        title: str,
        dept: str,
        credits: int,
        hours: dict[LessonType, int],
        parts: tuple[PartSpec, ...] = (),
    ) -> CourseUnitSpec:
        return CourseUnitSpec(
            year.id,
            str(specialty.id),
            1,
            1,
            kind,
            code,
            title,
            dept,
            "kz-medical",
            Decimal(credits),
            hours,
            parts,
        )

    a, p = str(anatomy.id), str(physiology.id)
    intro = await curriculum.define_course_unit(
        deps,
        unit(
            CourseUnitKind.DISCIPLINE,
            "ANAT-INTRO",
            "Анатомияға кіріспе",
            a,
            5,
            {L.LECTURE: 15, L.PRACTICAL: 30},
        ),
        REASON,
    )
    human = await curriculum.define_course_unit(
        deps,
        unit(
            CourseUnitKind.INTEGRATED_DISCIPLINE,
            "HUMAN-ANAT",
            "Адам анатомиясы",
            a,
            9,
            {},
            (
                PartSpec("HUMAN-ANAT-B1", "Тірек-қимыл аппараты", a, Decimal(3), {L.CLINICAL: 12}),
                PartSpec("HUMAN-ANAT-B2", "Ішкі ағзалар (спланхнология)", a, Decimal(3), {L.CLINICAL: 12}),
                PartSpec("HUMAN-ANAT-B3", "Жүйке жүйесі", p, Decimal(3), {L.CLINICAL: 12}),
            ),
        ),
        REASON,
    )
    physio = await curriculum.define_course_unit(
        deps,
        unit(
            CourseUnitKind.MODULE,
            "PHYS-BASE",
            "Физиология негіздері",
            p,
            8,
            {},
            (
                PartSpec("PHYS-BASE-MD1", "Жасуша физиологиясы", p, Decimal(4), {L.PRACTICAL: 16}),
                PartSpec(
                    "PHYS-BASE-MD2", "Қан және қан айналымы физиологиясы", p, Decimal(4), {L.PRACTICAL: 16}
                ),
            ),
        ),
        REASON,
    )
    blocks = [str(b.unit.id) for b in human.parts]
    modular = [str(m.unit.id) for m in physio.parts]
    intro_id = str(intro.unit.id)
    practical_teachers = ["kz.teacher1", "kz.teacher1", "kz.teacher2"]
    for group, practical_teacher in zip(groups, practical_teachers, strict=True):
        for load in [
            LoadInput(pid("kz.head.anatomy"), intro_id, group, "", "lecture", 15),
            LoadInput(pid(practical_teacher), intro_id, group, "", "practical", 30),
            *(
                LoadInput(pid("kz.teacher2" if i < 2 else "kz.teacher3"), b, group, "", "clinical", 12)
                for i, b in enumerate(blocks)
            ),
            LoadInput(pid("kz.teacher3"), modular[0], group, "", "practical", 16),
            LoadInput(pid("kz.teacher3"), modular[1], group, "", "practical", 16),
        ]:
            await teaching_load.assign_teaching_load(deps, load)
    # The semester: the discipline all term; blocks one after another; modular disciplines in turn.
    monday = weekday_on_or_after(year.start, 0)
    await lesson_plans.appoint_uploader(deps, a, pid("kz.teacher1"), "1", f"{year.start.year}-06-05")
    for i, (group, practical_teacher) in enumerate(zip(groups, practical_teachers, strict=True)):
        await weekly(
            deps,
            intro_id,
            group,
            "",
            "lecture",
            pid("kz.head.anatomy"),
            rooms["Дәрісхана-1"],
            monday + timedelta(days=3),
            12,
            "08:00",
            "08:50",
            "Дәріс",
        )
        first = monday + timedelta(days=i)
        await weekly(
            deps,
            intro_id,
            group,
            "",
            "practical",
            pid(practical_teacher),
            rooms["А-101"],
            first,
            12,
            "09:00",
            "10:40",
            "Практикалық сабақ",
        )
        await lesson_plans.submit_lesson_plan(
            deps,
            PlanInput(
                intro_id,
                "practical",
                group,
                "",
                "1",
                f"{year.start.year}-08-28",
                [
                    PlanItemInput(
                        w + 1,
                        (first + timedelta(weeks=w)).isoformat(),
                        "09:00",
                        "10:40",
                        f"Практикалық сабақ {w + 1}",
                        2,
                        pid(practical_teacher),
                        rooms["А-101"],
                    )
                    for w in range(12)
                ],
            ),
            REASON,
        )
        for b, block in enumerate(blocks):
            teacher = pid("kz.teacher2" if b < 2 else "kz.teacher3")
            block_start = monday + timedelta(weeks=4 * b, days=2 + (i % 2))
            await weekly(
                deps,
                block,
                group,
                "",
                "clinical",
                teacher,
                rooms["Б-201"],
                block_start,
                4,
                f"{11 + i}:00",
                f"{11 + i}:50",
                "Клиникалық сабақ",
            )
            await control(deps, "midterm", block, group, block_start + timedelta(weeks=3, days=1))
        await control(
            deps, "intermediate_attestation", str(human.unit.id), group, monday + timedelta(weeks=13, days=2)
        )
        for m, md in enumerate(modular):
            md_start = monday + timedelta(weeks=6 * m, days=4)
            await weekly(
                deps,
                md,
                group,
                "",
                "practical",
                pid("kz.teacher3"),
                rooms["А-102"],
                md_start,
                4,
                f"{13 + i}:00",
                f"{13 + i}:50",
                "Модульдік сабақ",
            )
            await control(deps, "intermediate_attestation", md, group, md_start + timedelta(weeks=5))
        await control(deps, "midterm", intro_id, group, monday + timedelta(weeks=7, days=i))
        await control(deps, "intermediate_attestation", intro_id, group, monday + timedelta(weeks=15, days=i))


async def seed_kg_jasu(deps: Deps, today: date) -> None:
    uni_id = str(stable_id("university", "jasu-demo"))
    set_principal(setup_principal(uni_id, "ejournal:demo-seed"))
    uni = await structure.define_university(
        deps,
        "jasu-demo",
        "Б. Осмонов атындагы Жалал-Абад мамлекеттик университети",
        "kg-jasu",
        "Asia/Bishkek",
    )
    faculty = await structure.define_faculty(deps, uni_id, "phys-math", "Физика-математика факультети")
    math = await structure.define_department(deps, str(faculty.id), "math", "Математика кафедрасы")
    info = await structure.define_department(deps, str(faculty.id), "informatics", "Информатика кафедрасы")
    specialty = await structure.define_specialty(
        deps, str(faculty.id), "550200", "Физика-математикалык билим берүү"
    )
    year = await define_year(deps, str(uni.id), today)
    room = str((await classrooms.define_classroom(deps, uni_id, "215", "Башкы имарат", 40)).id)
    lab = str((await classrooms.define_classroom(deps, uni_id, "Комп-3", "Башкы имарат", 16)).id)
    analysis = await curriculum.define_course_unit(
        deps,
        CourseUnitSpec(
            year.id,
            str(specialty.id),
            1,
            1,
            CourseUnitKind.DISCIPLINE,
            "MATH-AN-1",
            "Математикалык анализ",
            str(math.id),
            "kg-jasu",
            Decimal(6),
            {L.LECTURE: 30, L.PRACTICAL: 30},
        ),
        REASON,
    )
    programming = await curriculum.define_course_unit(
        deps,
        CourseUnitSpec(
            year.id,
            str(specialty.id),
            1,
            1,
            CourseUnitKind.DISCIPLINE,
            "INF-PROG-1",
            "Программалоонун негиздери",
            str(info.id),
            "kg-jasu",
            Decimal(5),
            {L.LECTURE: 15, L.LABORATORY: 30},
        ),
        REASON,
    )
    monday = weekday_on_or_after(year.start, 0)
    for i, (code, language, members) in enumerate(demo.kg_groups()):
        group = await structure.define_group(deps, str(specialty.id), year.id, 1, code, language, ["1", "2"])
        gid, subs = str(group.group.id), [str(s.id) for s in group.subgroups]
        await enroll(deps, gid, members, subs, year.start)
        an, prog = str(analysis.unit.id), str(programming.unit.id)
        await teaching_load.assign_teaching_load(
            deps, LoadInput(pid("kg.teacher1"), an, gid, "", "lecture", 30)
        )
        await teaching_load.assign_teaching_load(
            deps, LoadInput(pid("kg.teacher.info"), prog, gid, "", "lecture", 15)
        )
        await weekly(
            deps,
            an,
            gid,
            "",
            "lecture",
            pid("kg.teacher1"),
            room,
            monday + timedelta(days=i),
            10,
            "08:00",
            "09:20",
            "Лекция",
        )
        for s, sub in enumerate(subs):
            await teaching_load.assign_teaching_load(
                deps, LoadInput(pid("kg.teacher2"), an, gid, sub, "practical", 30)
            )
            await teaching_load.assign_teaching_load(
                deps, LoadInput(pid("kg.teacher.info"), prog, gid, sub, "laboratory", 30)
            )
            await weekly(
                deps,
                an,
                gid,
                sub,
                "practical",
                pid("kg.teacher2"),
                room,
                monday + timedelta(days=2 + i),
                10,
                f"{10 + 2 * s}:00",
                f"{11 + 2 * s}:20",
                "Практикалык сабак",
            )
            await weekly(
                deps,
                prog,
                gid,
                sub,
                "laboratory",
                pid("kg.teacher.info"),
                lab,
                monday + timedelta(days=3 + i),
                10,
                f"{13 + 2 * s}:00",
                f"{14 + 2 * s}:20",
                "Лабораториялык иш",
            )
            for unit in (an, prog):
                await control(deps, "midterm", unit, gid, monday + timedelta(weeks=8, days=4), sub)
                await control(
                    deps, "intermediate_attestation", unit, gid, monday + timedelta(weeks=16, days=i), sub
                )


async def seed_demo(database_url: str, today: date | None = None) -> None:
    """Load (or confirm) the demo data of both profiles; safe to run on every start."""
    engine = make_engine(database_url, pool_size=2)
    try:
        deps = Deps(
            uow=unit_of_work_factory(
                async_sessionmaker(engine, expire_on_commit=False), OutboxWriter(tables.outbox)
            ),
            clock=lambda: datetime.now(UTC),
        )
        day = today or datetime.now(UTC).date()
        await seed_kz_medical(deps, day)
        await seed_kg_jasu(deps, day)
    finally:
        set_principal(None)
        await engine.dispose()


def main() -> None:
    from ejournal_platform.settings import load_settings
    from services.curriculum.settings import CurriculumSettings

    asyncio.run(seed_demo(load_settings(CurriculumSettings).database_url))


def demo_scope_ids(today: date | None = None) -> dict[str, str]:
    """The ids of the demo structure, under the readable keys identity's demo accounts use as role
    scopes (a role's scope id must be the curriculum's id of the university, faculty, department or
    group for authorization to match). Ids are stable; groups depend on the academic year."""
    day = today or datetime.now(UTC).date()
    y = year_start(day)
    kz_u, kg_u = stable_id("university", "kaznmu-demo"), stable_id("university", "jasu-demo")
    kz_f, kg_f = (
        stable_id("faculty", kz_u, "school-general-medicine"),
        stable_id("faculty", kg_u, "phys-math"),
    )
    kz_year, kg_year = (
        stable_id("academic_year", kz_u, f"{y}-{y + 1}"),
        stable_id("academic_year", kg_u, f"{y}-{y + 1}"),
    )
    ids = {
        "kz-kaznmu": kz_u,
        "kz-fac-general-medicine": kz_f,
        "kz-dep-anatomy": stable_id("department", kz_f, "anatomy"),
        "kz-dep-physiology": stable_id("department", kz_f, "physiology"),
        "kz-grp-med-101": stable_id("group", kz_year, "ЖМ-101"),
        "kz-grp-med-102": stable_id("group", kz_year, "ЖМ-102"),
        "kz-grp-med-103": stable_id("group", kz_year, "ОМ-103"),
        "kg-jasu": kg_u,
        "kg-fac-physics-math": kg_f,
        "kg-dep-mathematics": stable_id("department", kg_f, "math"),
        "kg-dep-informatics": stable_id("department", kg_f, "informatics"),
        "kg-grp-math-21": stable_id("group", kg_year, "МИ-1-26"),
        "kg-grp-fm-26": stable_id("group", kg_year, "ФМ-1-26"),
    }
    return {key: str(value) for key, value in ids.items()}


if __name__ == "__main__":
    main()
