"""The shapes the demo university is described in, and how its readable description becomes ids.

Ids are computed with curriculum's own formulas (`services.curriculum.adapters.ids`, a pure module):
a unit's id is what curriculum's Define* use case gives it, a person's id is `person_id(login)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

from deploy.demo.names import Name, generated, name
from services.curriculum.adapters.ids import person_id_for_login, stable_id


def person_id(login: str) -> str:
    """The one person-id formula: uuid5(NAMESPACE_URL, "ejournal:person:<login>")."""
    return str(person_id_for_login(login))


def year_start(today: date) -> int:
    """The calendar year the current academic year began in (it runs from September; from July on,
    the coming year is the current one)."""
    return today.year if today.month >= 7 else today.year - 1


@dataclass(frozen=True)
class University:
    key: str  # the readable key roles and documentation use
    code: str  # the natural key curriculum derives the id from
    title: str
    profile: str
    time_zone: str


@dataclass(frozen=True)
class Faculty:
    key: str
    university: University
    code: str
    title: str


@dataclass(frozen=True)
class Department:
    key: str
    faculty: Faculty
    code: str
    title: str


@dataclass(frozen=True)
class Specialty:
    key: str
    faculty: Faculty
    code: str
    title: str


@dataclass(frozen=True)
class Person:
    login: str
    full_name: str  # "Surname Given [Patronymic]"
    language: str
    category: str  # staff | student | parent
    home: University | Faculty | Department | None  # a student's home is their group
    grants: tuple[Grant, ...] = ()
    requested: bool = False  # KZ-15: the login came from a department head's login request

    @property
    def id(self) -> str:
        return person_id(self.login)

    @property
    def name(self) -> Name:
        return name(self.full_name)


@dataclass(frozen=True)
class Group:
    key: str
    specialty: Specialty
    course: int
    code: str
    language: str
    subgroups: tuple[str, ...]
    students: tuple[Person, ...]  # in enrollment order (KZ-15)

    @property
    def university(self) -> University:
        return self.specialty.faculty.university


Unit: TypeAlias = University | Faculty | Department | Specialty | Group
SCOPE_TYPES = {University: "university", Faculty: "faculty", Department: "department", Group: "group"}


@dataclass(frozen=True)
class Grant:
    """A role within a unit of the structure, or (student, parent) within a student."""

    role: str
    scope: University | Faculty | Department | Group | Person

    @property
    def scope_type(self) -> str:
        return "student" if isinstance(self.scope, Person) else SCOPE_TYPES[type(self.scope)]


def staff(login: str, full_name: str, language: str, home: University | Faculty | Department,
          *grants: Grant, requested: bool = False) -> Person:  # fmt: skip
    return Person(login, full_name, language, "staff", home, grants, requested)


def student(login: str, full_name: str, language: str) -> Person:
    return Person(login, full_name, language, "student", None)


def roster(prefix: str, language: str, seed: int, *, first: int, last: int) -> tuple[Person, ...]:
    """Generated students `<prefix>-<nn>` numbered first..last (named in the group's language)."""
    numbers = range(first, last + 1)
    return tuple(student(f"{prefix}-{n:02}", generated(language, n, seed).full, language) for n in numbers)


def university_of(unit: Unit) -> University:
    match unit:
        case University():
            return unit
        case Faculty():
            return unit.university
        case Department() | Specialty():
            return unit.faculty.university
        case Group():
            return unit.university


def academic_year_id(university: University, today: date) -> str:
    y = year_start(today)
    return str(stable_id("academic_year", unit_id(university, today), f"{y}-{y + 1}"))


def unit_id(unit: Unit, today: date) -> str:
    """The id curriculum gives this unit (groups: in the academic year current on `today`)."""
    match unit:
        case University():
            return str(stable_id("university", unit.code))
        case Faculty():
            return str(stable_id("faculty", unit_id(unit.university, today), unit.code))
        case Department():
            return str(stable_id("department", unit_id(unit.faculty, today), unit.code))
        case Specialty():
            return str(stable_id("specialty", unit_id(unit.faculty, today), unit.code))
        case Group():
            return str(stable_id("group", academic_year_id(unit.university, today), unit.code))


def scope_id(grant: Grant, today: date) -> str:
    return grant.scope.id if isinstance(grant.scope, Person) else unit_id(grant.scope, today)
