"""The working curriculum (KZ-02, KZ-03): course units and the rule of when they may change.

A course unit is defined with its parts in one go, so the structure is always whole: an integrated
discipline with its blocks (one integrated exam after the last block), a module with its modular
disciplines (an exam after each; the module grade is their integrated average). A module with no
modular disciplines, or a block with no integrated discipline, cannot exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.curriculum.domain.calendar import CurriculumWindows
from services.curriculum.domain.checks import Violations
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType

TOP_LEVEL_KINDS = (CourseUnitKind.DISCIPLINE, CourseUnitKind.INTEGRATED_DISCIPLINE, CourseUnitKind.MODULE)


@dataclass(frozen=True)
class PartSpec:
    code: str
    title: str
    department_id: str
    credits: Decimal
    hours: dict[LessonType, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CourseUnitSpec:
    academic_year_id: str
    specialty_id: str
    course_number: int
    term_number: int
    kind: CourseUnitKind
    code: str
    title: str
    department_id: str
    profile_code: str
    credits: Decimal
    hours: dict[LessonType, int] = field(default_factory=dict)
    parts: tuple[PartSpec, ...] = ()


def check_course_unit(spec: CourseUnitSpec, known_profiles: set[str], v: Violations) -> None:
    if spec.kind not in TOP_LEVEL_KINDS:
        v.add(
            "kind", "define a block or a modular discipline as a part of its integrated discipline or module"
        )
    if not 1 <= spec.course_number <= 7:
        v.add("course_number", "must be between 1 and 7")
    if not 1 <= spec.term_number <= 4:
        v.add("term_number", "must be between 1 and 4")
    if spec.profile_code not in known_profiles:
        v.add(
            "profile_code",
            f"unknown scale/profile {spec.profile_code!r}; known: {', '.join(sorted(known_profiles))}",
        )
    check_hours(spec.hours, "hours", v)
    part_kind = spec.kind.part_kind
    if part_kind is None and spec.parts:
        v.add("parts", "a discipline has no parts")
    if part_kind is CourseUnitKind.MODULAR_DISCIPLINE and not spec.parts:
        v.add("parts", "a module needs at least one modular discipline")
    if part_kind is CourseUnitKind.BLOCK and not spec.parts:
        v.add("parts", "an integrated discipline needs at least one block")
    seen: set[str] = set()
    for i, part in enumerate(spec.parts):
        if not part.code.strip():
            v.add(f"parts[{i}].code", "is required")
        elif part.code in seen or part.code == spec.code:
            v.add(f"parts[{i}].code", f"{part.code!r} is used twice in this unit")
        seen.add(part.code)
        if not part.title.strip():
            v.add(f"parts[{i}].title", "is required")
        if not part.department_id:
            v.add(f"parts[{i}].department_id", "is required")
        check_hours(part.hours, f"parts[{i}].hours", v)


def check_hours(hours: dict[LessonType, int], path: str, v: Violations) -> None:
    for lesson_type, count in hours.items():
        if not 0 <= count <= 2000:
            v.add(f"{path}.{lesson_type}", "must be between 0 and 2000")


def part_has_own_exam(kind: CourseUnitKind) -> bool:
    """Blocks share the integrated exam; each modular discipline ends with its own exam (KZ-02)."""
    return kind is CourseUnitKind.MODULAR_DISCIPLINE


def unit_has_own_exam(kind: CourseUnitKind) -> bool:
    """A discipline and an integrated discipline end with an exam; a module is graded by average."""
    return kind in (CourseUnitKind.DISCIPLINE, CourseUnitKind.INTEGRATED_DISCIPLINE)


@dataclass(frozen=True)
class ChangeAuthority:
    """Who wants to change the curriculum: any curriculum manager, or the registrar office."""

    is_registrar: bool
    reason: str


def check_change_window(today: date, windows: CurriculumWindows, who: ChangeAuthority, v: Violations) -> str:
    """KZ-03: inside May–June (load) and August (correction) anyone allowed may change the curriculum;
    otherwise it is frozen, except for the registrar office stating a reason. Returns the window name
    recorded in the audit."""
    if windows.load_from <= today <= windows.load_until:
        return "load"
    if windows.correction_from <= today <= windows.correction_until:
        return "correction"
    if not who.is_registrar:
        v.add(
            "academic_year_id",
            f"the working curriculum is frozen on {today} "
            f"(loading {windows.load_from}..{windows.load_until}, "
            f"correction {windows.correction_from}..{windows.correction_until}); only the registrar office "
            "may change it, with a reason",
        )
    elif not who.reason.strip():
        v.add("reason", "a change of a frozen working curriculum needs a reason")
    return "registrar_override"
