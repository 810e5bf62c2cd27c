"""A small kz-medical university for the tests: a school with two departments, one specialty, an
academic year 2026-2027 with two terms, two groups of course 1 (one split into subgroups), a room."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from services.curriculum.adapters.models import Term
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import calendar, classrooms, curriculum, structure
from services.curriculum.service_layer.deps import Deps


@dataclass
class World:
    university: str
    faculty: str
    dept_a: str
    dept_b: str
    specialty: str
    year: str
    term1: str
    term2: str
    group1: str
    group2: str
    subgroup_a: str
    subgroup_b: str
    room: str


async def build_world(deps: Deps) -> World:
    uni = await structure.define_university(
        deps, "kaznmu", "Қазақ ұлттық медицина университеті", "kz-medical", "Asia/Almaty"
    )
    fac = await structure.define_faculty(deps, str(uni.id), "school-medicine", "Жалпы медицина мектебі")
    dept_a = await structure.define_department(deps, str(fac.id), "anatomy", "Анатомия кафедрасы")
    dept_b = await structure.define_department(deps, str(fac.id), "physiology", "Физиология кафедрасы")
    spec = await structure.define_specialty(deps, str(fac.id), "6B10101", "Жалпы медицина")
    year = await calendar.define_academic_year(
        deps,
        str(uni.id),
        "2026-2027",
        "2026-09-01",
        "2027-06-30",
        [
            calendar.TermInput(1, "2026-09-01", "2026-12-31"),
            calendar.TermInput(2, "2027-01-15", "2027-06-15"),
        ],
    )
    g1 = await structure.define_group(deps, str(spec.id), str(year.year.id), 1, "ЖМ-101", "kk", [])
    g2 = await structure.define_group(deps, str(spec.id), str(year.year.id), 1, "ЖМ-102", "ru", ["1", "2"])
    room = await classrooms.define_classroom(deps, str(uni.id), "А-101", "Бас ғимарат", 30)
    return World(
        str(uni.id),
        str(fac.id),
        str(dept_a.id),
        str(dept_b.id),
        str(spec.id),
        str(year.year.id),
        str(year.terms[0].id),
        str(year.terms[1].id),
        str(g1.group.id),
        str(g2.group.id),
        str(g2.subgroups[0].id),
        str(g2.subgroups[1].id),
        str(room.id),
    )


def discipline(w: World, code: str = "ANAT-1", term: int = 1) -> CourseUnitSpec:
    return CourseUnitSpec(
        w.year,
        w.specialty,
        1,
        term,
        CourseUnitKind.DISCIPLINE,
        code,
        "Анатомия",
        w.dept_a,
        "kz-medical",
        Decimal(5),
        {LessonType.LECTURE: 30, LessonType.PRACTICAL: 60},
    )


def module(w: World, parts: int = 2, code: str = "MOD-1") -> CourseUnitSpec:
    return CourseUnitSpec(
        w.year,
        w.specialty,
        1,
        1,
        CourseUnitKind.MODULE,
        code,
        "Адам ағзасы",
        w.dept_a,
        "kz-medical",
        Decimal(8),
        {},
        tuple(
            PartSpec(f"{code}-MD{i}", f"Модульдік пән {i}", w.dept_b, Decimal(4), {LessonType.PRACTICAL: 30})
            for i in range(1, parts + 1)
        ),
    )


def integrated(w: World, blocks: int = 3, code: str = "ID-1") -> CourseUnitSpec:
    return CourseUnitSpec(
        w.year,
        w.specialty,
        1,
        1,
        CourseUnitKind.INTEGRATED_DISCIPLINE,
        code,
        "Интеграцияланған пән",
        w.dept_a,
        "kz-medical",
        Decimal(9),
        {},
        tuple(
            PartSpec(
                f"{code}-B{i}",
                f"Блок {i}",
                w.dept_a if i % 2 else w.dept_b,
                Decimal(3),
                {LessonType.CLINICAL: 20},
            )
            for i in range(1, blocks + 1)
        ),
    )


async def define_discipline(deps: Deps, w: World, code: str = "ANAT-1") -> str:
    view = await curriculum.define_course_unit(deps, discipline(w, code))
    return str(view.unit.id)


async def term_ids(deps: Deps, year_id: str) -> list[uuid.UUID]:
    async with deps.uow() as uow:
        return list(
            await uow.session.scalars(select(Term.id).where(Term.academic_year_id == uuid.UUID(year_id)))
        )
