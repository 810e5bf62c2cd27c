"""The demo university's structure, academic year, groups and contingent, as `deploy/demo/university.py`
describes them (identity's demo seed reads the same description, so ids and people agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from deploy.demo import university as demo
from deploy.demo.model import Department as DepartmentUnit
from deploy.demo.model import Faculty as FacultyUnit
from deploy.demo.model import Group, Unit, University, unit_id, university_of
from ejournal_platform.context import Principal
from services.curriculum.domain.records import Department, Faculty, Specialty
from services.curriculum.service_layer import calendar, contingent, structure
from services.curriculum.service_layer.authorization import setup_principal
from services.curriculum.service_layer.calendar import DefineAcademicYear
from services.curriculum.service_layer.contingent import EnrollStudent, OrderInput
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.structure import (
    DefineDepartment,
    DefineFaculty,
    DefineGroup,
    DefineSpecialty,
    DefineUniversity,
)


@dataclass(frozen=True)
class Built:
    """A demo university as defined: its academic year and the ids of what the teaching refers to."""

    year_id: str
    year_start: date
    ids: dict[str, str]  # readable key (deploy/demo/university.py) -> id
    subgroups: dict[str, list[str]]  # group key -> its subgroups' ids, by code
    by: Principal  # who seeds it: curriculum's setup principal of this university

    def __getitem__(self, unit: Unit) -> str:
        return self.ids[unit.key]


def expect_id(unit: Unit, found: object, today: date) -> str:
    """The id curriculum gave the unit must be the one identity's role scopes name."""
    if str(found) != unit_id(unit, today):
        raise RuntimeError(
            f"demo unit {unit.key}: curriculum gave it {found}, the demo says {unit_id(unit, today)}"
        )
    return str(found)


async def define_year(deps: Deps, by: Principal, university_id: str, today: date) -> tuple[str, date]:
    y = demo.year_start(today)
    year = await calendar.define_academic_year(
        deps,
        by,
        DefineAcademicYear(
            university_id=university_id,
            code=f"{y}-{y + 1}",
            starts_on=f"{y}-09-01",
            ends_on=f"{y + 1}-06-30",
            terms=[
                calendar.TermInput(1, f"{y}-09-01", f"{y + 1}-01-20"),
                calendar.TermInput(2, f"{y + 1}-01-26", f"{y + 1}-06-30"),
            ],
        ),
    )
    return str(year.year.id), date(y, 9, 1)


async def enroll(
    deps: Deps, by: Principal, group_id: str, group: Group, subgroups: list[str], start: date
) -> None:
    """Students into their group in roster order (KZ-15), alternating between its subgroups (KG-02)."""
    order = OrderInput("1245-б", (start - timedelta(days=7)).isoformat(), start.isoformat())
    for i, student in enumerate(group.students):
        subgroup = subgroups[i % len(subgroups)] if subgroups else ""
        await contingent.enroll_student(
            deps,
            by,
            EnrollStudent(
                student_id=student.id,
                group_id=group_id,
                subgroup_id=subgroup,
                order=order,
                student_name=student.name.full,
            ),
        )


async def build_university(deps: Deps, university: University, today: date) -> Built:
    """The university's structure, this year's groups and their students, as the demo describes them."""
    uid = unit_id(university, today)
    by = setup_principal(uid, "ejournal:demo-seed")
    ids = {university.key: uid}
    defined = await structure.define_university(
        deps,
        by,
        DefineUniversity(
            code=university.code,
            title=university.title,
            profile_code=university.profile,
            time_zone=university.time_zone,
        ),
    )
    expect_id(university, defined.id, today)
    mine = [
        u for u in (*demo.FACULTIES, *demo.DEPARTMENTS, *demo.SPECIALTIES) if university_of(u) == university
    ]
    for unit in mine:
        row: Faculty | Department | Specialty
        if isinstance(unit, FacultyUnit):
            row = await structure.define_faculty(
                deps, by, DefineFaculty(university_id=uid, code=unit.code, title=unit.title)
            )
        elif isinstance(unit, DepartmentUnit):
            row = await structure.define_department(
                deps,
                by,
                DefineDepartment(faculty_id=ids[unit.faculty.key], code=unit.code, title=unit.title),
            )
        else:
            row = await structure.define_specialty(
                deps,
                by,
                DefineSpecialty(faculty_id=ids[unit.faculty.key], code=unit.code, title=unit.title),
            )
        ids[unit.key] = expect_id(unit, row.id, today)
    year_id, start = await define_year(deps, by, uid, today)
    subgroups: dict[str, list[str]] = {}
    for group in (g for g in demo.GROUPS if g.university == university):
        in_year = await structure.define_group(
            deps,
            by,
            DefineGroup(
                specialty_id=ids[group.specialty.key],
                academic_year_id=year_id,
                course_number=group.course,
                code=group.code,
                language=group.language,
                subgroup_codes=list(group.subgroups),
            ),
        )
        ids[group.key] = expect_id(group, in_year.group.id, today)
        subgroups[group.key] = [str(s.id) for s in in_year.subgroups]
        await enroll(deps, by, ids[group.key], group, subgroups[group.key], start)
    return Built(year_id, start, ids, subgroups, by)
