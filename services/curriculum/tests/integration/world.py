"""A small kz-medical university for the tests: a school with two departments, one specialty, an
academic year 2026-2027 with two terms, two groups of course 1 (one split into subgroups), a room."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ejournal_platform.context import Principal
from services.curriculum.adapters.ids import stable_id
from services.curriculum.adapters.models import Term
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import calendar, classrooms, curriculum, structure
from services.curriculum.service_layer.authorization import setup_principal
from services.curriculum.service_layer.calendar import DefineAcademicYear
from services.curriculum.service_layer.classrooms import DefineClassroom
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import (
    DefineDepartment,
    DefineFaculty,
    DefineGroup,
    DefineSpecialty,
    DefineUniversity,
)


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


# The tests' university's setup principal (defined below with code "kaznmu"; ids are stable): it builds
# the world, and a test that needs no other caller passes it.
SYSTEM = setup_principal(str(stable_id("university", "kaznmu")), "setup")


async def build_world(deps: Deps) -> World:
    uni = await structure.define_university(
        deps,
        SYSTEM,
        DefineUniversity(
            code="kaznmu",
            title="Қазақ ұлттық медицина университеті",
            profile_code="kz-medical",
            time_zone="Asia/Almaty",
        ),
    )
    fac = await structure.define_faculty(
        deps,
        SYSTEM,
        DefineFaculty(university_id=str(uni.id), code="school-medicine", title="Жалпы медицина мектебі"),
    )
    dept_a = await structure.define_department(
        deps,
        SYSTEM,
        DefineDepartment(faculty_id=str(fac.id), code="anatomy", title="Анатомия кафедрасы"),
    )
    dept_b = await structure.define_department(
        deps,
        SYSTEM,
        DefineDepartment(faculty_id=str(fac.id), code="physiology", title="Физиология кафедрасы"),
    )
    spec = await structure.define_specialty(
        deps, SYSTEM, DefineSpecialty(faculty_id=str(fac.id), code="6B10101", title="Жалпы медицина")
    )
    year = await calendar.define_academic_year(
        deps,
        SYSTEM,
        DefineAcademicYear(
            university_id=str(uni.id),
            code="2026-2027",
            starts_on="2026-09-01",
            ends_on="2027-06-30",
            terms=[
                calendar.TermInput(1, "2026-09-01", "2026-12-31"),
                calendar.TermInput(2, "2027-01-15", "2027-06-15"),
            ],
        ),
    )
    g1 = await structure.define_group(
        deps,
        SYSTEM,
        DefineGroup(
            specialty_id=str(spec.id),
            academic_year_id=str(year.year.id),
            course_number=1,
            code="ЖМ-101",
            language="kk",
            subgroup_codes=[],
        ),
    )
    g2 = await structure.define_group(
        deps,
        SYSTEM,
        DefineGroup(
            specialty_id=str(spec.id),
            academic_year_id=str(year.year.id),
            course_number=1,
            code="ЖМ-102",
            language="ru",
            subgroup_codes=["1", "2"],
        ),
    )
    room = await classrooms.define_classroom(
        deps,
        SYSTEM,
        DefineClassroom(university_id=str(uni.id), code="А-101", building="Бас ғимарат", capacity=30),
    )
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


async def define_discipline(deps: Deps, w: World, code: str = "ANAT-1", *, by: Principal) -> str:
    view = await curriculum.define_course_unit(deps, by, DefineCourseUnit(spec=discipline(w, code)))
    return str(view.unit.id)


async def term_ids(deps: Deps, year_id: str) -> list[uuid.UUID]:
    async with deps.uow() as uow:
        return list(
            await uow.session.scalars(select(Term.id).where(Term.academic_year_id == uuid.UUID(year_id)))
        )
