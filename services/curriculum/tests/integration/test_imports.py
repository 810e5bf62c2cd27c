"""Imports: the whole file is checked first, every error has sheet/row/column/reason in the user's
language, nothing is applied unless everything is valid, and importing the same data again changes
nothing (KZ-15 contingent, KZ-03 curriculum, KG-02 teaching load and schedule, KZ-17 plans)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from services.curriculum.adapters.models import CourseUnit, LessonPlan, Movement, Placement, TeachingLoad
from services.curriculum.service_layer import curriculum
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.runner import ImportOutcome, RunImport, run_import
from services.curriculum.tests.integration.conftest import Clock, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events, outbox_size
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline, discipline

pytestmark = pytest.mark.integration


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(r) for r in rows).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]], title: str = "Лист1") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for r in rows:
        sheet.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTINGENT_HEADER = [
    "Логин студента",
    "ФИО",
    "Группа",
    "Подгруппа",
    "Номер приказа",
    "Дата приказа",
    "Дата зачисления",
]


def contingent_rows(n: int, group: str = "ЖМ-101", subgroup: str = "") -> list[list[str]]:
    return [
        [f"student{i:03}", f"Студент {i} Әлиұлы", group, subgroup, "124-с", "20.08.2026", "2026-09-01"]
        for i in range(n)
    ]


async def run(
    deps: Deps,
    w: World,
    kind: str,
    name: str,
    content: bytes,
    language: str = "ru",
    reason: str = "",
    *,
    by: Principal,
) -> ImportOutcome:
    return await run_import(
        deps,
        by,
        RunImport(
            kind=kind,
            file_name=name,
            content=content,
            academic_year_id=w.year,
            language=language,
            reason=reason,
        ),
    )


@pytest.mark.rule("KZ-15")
async def test_contingent_csv_applies_and_the_same_data_again_changes_nothing(
    deps: Deps, world: World
) -> None:
    caller = registrar(world.university)
    stages: list[str] = []

    async def progress(stage: str, done: int, total: int) -> None:
        stages.append(stage)

    rows = [CONTINGENT_HEADER, *contingent_rows(25), *contingent_rows(5, "ЖМ-102", "2")[:0]]
    first = await run_import(
        deps,
        caller,
        RunImport(
            kind="contingent",
            file_name="contingent.csv",
            content=csv_bytes(rows),
            academic_year_id=world.year,
        ),
        progress=progress,
    )
    assert (first.status, first.rows_total, first.rows_changed, first.errors) == ("applied", 25, 25, [])
    assert {"reading", "validating", "applying"} <= set(stages)
    assert await count(deps, Placement) == 25 and len(await outbox_events(deps, ev.StudentEnrolled)) == 25
    before = await outbox_size(deps)
    again = await run(deps, world, "contingent", "contingent.csv", csv_bytes(rows), by=caller)
    as_xlsx = await run(deps, world, "contingent", "contingent.xlsx", xlsx_bytes(rows), by=caller)
    assert (again.status, as_xlsx.status, as_xlsx.rows_changed) == ("unchanged", "unchanged", 0)
    assert await count(deps, Movement) == 25 and await outbox_size(deps) == before


@pytest.mark.rule("KZ-15")
async def test_contingent_errors_are_all_reported_in_kazakh_and_nothing_is_applied(
    deps: Deps, world: World
) -> None:
    caller = registrar(world.university)
    rows = [
        CONTINGENT_HEADER,
        *contingent_rows(3),
        [
            "student000",
            "Студент 0 Әлиұлы",
            "ЖМ-102",
            "",
            "125-с",
            "20.08.2026",
            "2026-09-01",
        ],  # second group, course 1
        ["student010", "Жаңа студент", "ЖМ-999", "", "126-с", "20.08.2026", "2026-09-01"],
        ["student011", "Жаңа студент", "ЖМ-102", "7", "126-с", "20.08.2026", "2026-09-01"],
        ["student012", "Жаңа студент", "ЖМ-101", "", "126-с", "32.08.2026", "2026-09-01"],
        ["", "Логинсіз", "ЖМ-101", "", "126-с", "20.08.2026", "2026-09-01"],
    ]
    outcome = await run(deps, world, "contingent", "contingent.csv", csv_bytes(rows), "kk", by=caller)
    assert outcome.status == "rejected" and outcome.rows_total == 8
    found = {(e["row"], e["column"], e["code"]) for e in outcome.errors}
    assert found == {
        (5, "Группа", "two_groups_one_course"),
        (6, "Группа", "unknown_group"),
        (7, "Подгруппа", "unknown_subgroup"),
        (8, "Дата приказа", "bad_date"),
        (9, "Логин студента", "required"),
    }
    reasons = {e["code"]: str(e["reason"]) for e in outcome.errors}
    assert reasons["unknown_group"] == "«ЖМ-999» тобы осы оқу жылында табылмады"
    assert "ЖМ-101" in reasons["two_groups_one_course"] and all(
        e["sheet"] == "contingent.csv" for e in outcome.errors
    )
    assert await count(deps, Movement) == 0 and await outbox_events(deps, ev.StudentEnrolled) == []


@pytest.mark.rule("KZ-15")
async def test_a_file_cannot_put_a_student_in_a_second_group_of_the_course(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    await run(
        deps, world, "contingent", "a.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(2)]), by=caller
    )
    outcome = await run(
        deps,
        world,
        "contingent",
        "b.csv",
        csv_bytes(
            [CONTINGENT_HEADER, ["student001", "x", "ЖМ-102", "", "200-с", "2026-08-25", "2026-09-01"]]
        ),
        "en",
        by=caller,
    )
    assert [(e["row"], e["code"]) for e in outcome.errors] == [(2, "two_groups_one_course")]
    assert "already in group ЖМ-101" in str(outcome.errors[0]["reason"])


LOAD_HEADER = ["Логин преподавателя", "Дисциплина", "Группа", "Подгруппа", "Вид занятия", "Часы"]


@pytest.mark.rule("KG-02")
async def test_teaching_load_xlsx_is_all_or_nothing(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    good = [
        ["g.akhmetova", "ANAT-1", "ЖМ-102", "1", "практическое", 30],
        ["g.akhmetova", "ANAT-1", "ЖМ-102", "2", "Практикалық", 30],
        ["b.toktogulov", "ANAT-1", "ЖМ-101", "", "лекция", 30],
    ]
    bad = [
        ["b.toktogulov", "ANAT-1", "ЖМ-101", "", "лекция", 30],
        ["x", "NOPE-1", "ЖМ-101", "", "лекция", 1],
        ["x", "ANAT-1", "ЖМ-101", "", "пение", 1],
    ]
    rejected = await run(
        deps,
        world,
        "teaching_load",
        "load.xlsx",
        xlsx_bytes([LOAD_HEADER, *good, *bad], "Нагрузка"),
        "ky",
        by=caller,
    )
    assert rejected.status == "rejected" and await count(deps, TeachingLoad) == 0
    assert {(e["sheet"], e["row"], e["code"]) for e in rejected.errors} == {
        ("Нагрузка", 5, "duplicate_row"),
        ("Нагрузка", 6, "unknown_course_unit"),
        ("Нагрузка", 7, "unknown_lesson_type"),
    }
    assert next(e["reason"] for e in rejected.errors if e["code"] == "duplicate_row") == "4-сапты кайталайт"
    applied = await run(
        deps, world, "teaching_load", "load.xlsx", xlsx_bytes([LOAD_HEADER, *good], "Нагрузка"), by=caller
    )
    assert (applied.status, applied.rows_changed) == ("applied", 3)
    assigned = await outbox_events(deps, ev.TeachingLoadAssigned)
    assert sorted(a.subgroup_id for a in assigned) == sorted([world.subgroup_a, world.subgroup_b, ""])
    changed = await run(
        deps,
        world,
        "teaching_load",
        "load2.csv",
        csv_bytes(
            [
                LOAD_HEADER,
                *[[str(c) for c in r] for r in good[:2]],
                ["b.toktogulov", "ANAT-1", "ЖМ-101", "", "лекция", "45"],
            ]
        ),
        by=caller,
    )
    assert (changed.status, changed.rows_changed) == ("applied", 1)  # only the hours of one load changed


CURRICULUM_HEADER = [
    "Специальность",
    "Курс",
    "Семестр",
    "Вид",
    "Код",
    "Входит в",
    "Название",
    "Кафедра",
    "Шкала",
    "Кредиты",
    "Лекции",
    "Практические",
    "Клинические",
]


@pytest.mark.rule("KZ-03", "KZ-02")
async def test_curriculum_import_checks_structure_and_scale(deps: Deps, world: World) -> None:
    caller = SYSTEM
    rows = [
        CURRICULUM_HEADER,
        ["6B10101", "1", "1", "ИД", "ID-9", "", "Интеграцияланған пән", "anatomy", "", "9", "", "", ""],
        ["6B10101", "1", "1", "б", "ID-9-B1", "ID-9", "Блок 1", "anatomy", "", "3", "", "", "20"],
        ["6B10101", "1", "1", "б", "ID-9-B2", "ID-9", "Блок 2", "physiology", "", "3", "", "", "20"],
        ["6B10101", "1", "1", "М", "MOD-9", "", "Бос модуль", "anatomy", "", "4", "", "", ""],
        ["6B10101", "1", "1", "Д", "ST-1", "", "Жұлдыз шкаласы", "anatomy", "ects-stars", "3", "10", "", ""],
    ]
    outcome = await run(deps, world, "curriculum", "rup.csv", csv_bytes(rows), by=caller)
    assert {(e["row"], e["column"], e["code"]) for e in outcome.errors} == {
        (5, "Вид", "module_without_parts"),
        (6, "Шкала", "unknown_scale"),
    }
    assert await count(deps, CourseUnit) == 0
    outcome = await run(deps, world, "curriculum", "rup.csv", csv_bytes(rows[:4]), by=caller)
    assert (outcome.status, outcome.rows_changed) == ("applied", 3)
    [unit], _ = await curriculum.list_course_units(deps, caller, world.year)
    assert [p.unit.code for p in unit.parts] == ["ID-9-B1", "ID-9-B2"] and unit.parts[1].hours == {
        "clinical": 20
    }


@pytest.mark.rule("KZ-03")
async def test_curriculum_import_after_august_needs_the_registrar_and_a_reason(
    deps: Deps, world: World, clock: Clock
) -> None:
    caller = SYSTEM
    clock.set("2026-10-01T10:00:00")
    rows = [
        CURRICULUM_HEADER,
        ["6B10101", "1", "1", "Д", "LATE-1", "", "Кеш пән", "anatomy", "", "3", "", "", ""],
    ]
    outcome = await run(deps, world, "curriculum", "late.csv", csv_bytes(rows), "en", by=caller)
    assert outcome.status == "rejected" and "reason" in str(outcome.errors[0]["reason"])
    caller = registrar(world.university)
    outcome = await run(
        deps, world, "curriculum", "late.csv", csv_bytes(rows), reason="приказ № 90", by=caller
    )
    assert outcome.status == "applied"


SCHEDULE_HEADER = [
    "Дисциплина",
    "Группа",
    "Подгруппа",
    "Вид занятия",
    "Дата",
    "Начало",
    "Окончание",
    "Аудитория",
    "Логин преподавателя",
    "Тема",
    "Номер",
]


async def test_schedule_import_reports_a_lesson_outside_its_term(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    await run(
        deps,
        world,
        "teaching_load",
        "l.csv",
        csv_bytes([LOAD_HEADER, ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"]]),
        by=caller,
    )
    lessons = [
        [
            "ANAT-1",
            "ЖМ-101",
            "",
            "лекция",
            f"2026-09-{d:02}",
            "09:00",
            "10:30",
            "А-101",
            "g.akhmetova",
            "Кіріспе",
            str(i),
        ]
        for i, d in enumerate((2, 9, 16), start=1)
    ]
    outside = [
        "ANAT-1",
        "ЖМ-101",
        "",
        "лекция",
        "2027-02-03",
        "09:00",
        "10:30",
        "А-101",
        "g.akhmetova",
        "Кеш",
        "4",
    ]
    outcome = await run(
        deps,
        world,
        "schedule",
        "schedule.csv",
        csv_bytes([SCHEDULE_HEADER, *lessons, outside]),
        "en",
        by=caller,
    )
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(5, "Дата")]
    assert "outside term 1" in str(outcome.errors[0]["reason"])
    assert await outbox_events(deps, ev.LessonScheduled) == []
    outcome = await run(
        deps, world, "schedule", "schedule.csv", csv_bytes([SCHEDULE_HEADER, *lessons]), by=caller
    )
    assert (outcome.status, outcome.rows_changed) == ("applied", 3)
    assert [e.number for e in await outbox_events(deps, ev.LessonScheduled)] == [1, 2, 3]


PLAN_HEADER = [
    "Дисциплина",
    "Группа",
    "Подгруппа",
    "Вид занятия",
    "№",
    "Дата",
    "Время",
    "Окончание",
    "Тема",
    "Часы",
    "Логин преподавателя",
    "Аудитория",
    "Номер протокола",
    "Дата протокола",
]


@pytest.mark.rule("KZ-17")
async def test_lesson_plan_import_builds_form_one(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=discipline(world)))
    rows = [PLAN_HEADER] + [
        [
            "ANAT-1",
            "ЖМ-101",
            "",
            "практическое",
            str(i),
            f"2026-09-{d:02}",
            "09:00",
            "10:40",
            f"Тақырып {i}",
            "2",
            "g.akhmetova",
            "А-101",
            "№ 3",
            "28.08.2026",
        ]
        for i, d in enumerate((3, 10, 17), start=1)
    ]
    outcome = await run(deps, world, "lesson_plan", "ktp.xlsx", xlsx_bytes(rows), by=caller)
    assert (outcome.status, outcome.rows_changed) == ("applied", 3) and await count(deps, LessonPlan) == 1
    broken = [*rows[:2], [*rows[2][:4], "5", *rows[2][5:]]]
    outcome = await run(deps, world, "lesson_plan", "ktp2.xlsx", xlsx_bytes(broken), "ru", by=caller)
    assert outcome.status == "rejected" and outcome.errors[0]["code"] == "rejected"


async def test_an_unreadable_file_is_one_clear_error(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    outcome = await run(deps, world, "contingent", "list.xlsx", b"not a workbook", "ru", by=caller)
    assert [(e["code"], e["reason"]) for e in outcome.errors] == [
        ("not_xlsx", "файл не читается как книга Excel (XLSX)")
    ]
    outcome = await run(
        deps, world, "contingent", "list.csv", csv_bytes([["Группа"], ["ЖМ-101"]]), "ru", by=caller
    )
    assert {e["code"] for e in outcome.errors} == {"missing_column"}
