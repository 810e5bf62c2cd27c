"""Totals by the profile's formulae: admission rating, final grade and letter/GPA (kz-medical), the
module grade as the integrated average of its modular disciplines' exams (KZ-02), and the integrated
discipline's one exam over all its blocks.

Inputs are marks as entered. A mark counts with the number its scale gives it (`н/б` counts 0 points in
kz-medical; `нб` has no number in kg-jasu and is left out of averages); "no mark yet" never counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ejournal_regulation import RegulationProfile
from ejournal_regulation.scales import MarksScale, PointsScale
from services.gradebook.domain.scale import mark_book
from services.gradebook.domain.vocabulary import CONTROL, LESSON, SELF_STUDY

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class MarkInput:
    """One mark of a student in a journal column."""

    column_kind: str
    control_kind: str | None
    value: str


@dataclass(frozen=True)
class Grade:
    points: Decimal
    letter: str = ""
    gpa: str = ""
    traditional: str = ""


@dataclass(frozen=True)
class Totals:
    current_control: Decimal | None = None
    midterm_control: Decimal | None = None
    admission_rating: Decimal | None = None
    admitted: bool = False
    exam: str = ""
    final: Grade | None = None
    passed: bool = False


def number_of(profile: RegulationProfile, text: str) -> Decimal | None:
    parsed = mark_book(profile.code).parse(text)
    return None if isinstance(parsed, str) else parsed.value


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return None
    return sum(numbers, Decimal(0)) / len(numbers)


def grade_of(profile: RegulationProfile, points: Decimal) -> Grade:
    """Letter, GPA and the traditional name (ru) of a rounded result."""
    scale = profile.scale
    if isinstance(scale, PointsScale):
        band = scale.letter_for(points)
        return Grade(points, band.letter, str(band.gpa), band.traditional.get("ru", ""))
    assert isinstance(scale, MarksScale)
    named = next((m for m in scale.marks if m.value is not None and m.value == points), None)
    return Grade(points, "", "", named.traditional.get("ru", "") if named else "")


def journal_totals(profile: RegulationProfile, marks: Sequence[MarkInput]) -> Totals:
    current = [
        number_of(profile, m.value)
        for m in marks
        if m.column_kind in (LESSON, SELF_STUDY) or (m.column_kind == CONTROL and m.control_kind == "current")
    ]
    midterm = [number_of(profile, m.value) for m in marks if m.control_kind == "midterm"]
    exams = [m.value for m in marks if m.control_kind == "intermediate_attestation"]
    inputs: dict[str, Decimal] = {}
    current_control, midterm_control = mean(current), mean(midterm)
    if current_control is not None:
        inputs["current_control"] = current_control
    if midterm_control is not None:
        inputs["midterm_control"] = midterm_control
    rounding = profile.rounding
    admission_formula = profile.formula("admission_rating")
    admission: Decimal | None = None
    admitted = False
    if all(source in inputs for source in admission_formula.sources):
        admission = rounding.apply(admission_formula.evaluate(inputs))
        admitted = admission_formula.passes(inputs)
    exam = exams[-1] if exams else ""
    exam_points = number_of(profile, exam) if exam else None
    final: Grade | None = None
    passed = False
    final_formula = profile.formula("final_grade")
    final_inputs: dict[str, Decimal] = {}
    if admission is not None:
        final_inputs["admission_rating"] = admission
    if exam_points is not None:
        final_inputs["exam"] = exam_points
    if all(source in final_inputs for source in final_formula.sources):
        points = rounding.apply(final_formula.evaluate(final_inputs))
        final = grade_of(profile, points)
        needs_admission = "admission_rating" in final_formula.sources
        passed = final_formula.passes(final_inputs) and (admitted or not needs_admission)
    return Totals(
        current_control.quantize(TWO_PLACES) if current_control is not None else None,
        midterm_control.quantize(TWO_PLACES) if midterm_control is not None else None,
        admission,
        admitted,
        exam,
        final,
        passed,
    )


@dataclass(frozen=True)
class IntegratedResult:
    parts: dict[str, str] = field(default_factory=dict)  # part course unit id -> exam as entered
    grade: Grade | None = None
    passed: bool = False
    incomplete: bool = True


def module_grade(
    profile: RegulationProfile, part_ids: Sequence[str], exams: dict[str, str]
) -> IntegratedResult:
    """KZ-02: the module grade is the integrated (plain) average of its modular disciplines' exams.

    Every modular discipline must have an exam result; until then the grade is incomplete."""
    parts = {part: exams.get(part, "") for part in part_ids}
    if not part_ids or any(not value for value in parts.values()):
        return IntegratedResult(parts)
    numbers = [number_of(profile, value) for value in parts.values()]
    average = mean([n if n is not None else Decimal(0) for n in numbers])
    assert average is not None
    formula = profile.formulae.get("module_grade")
    if formula is not None:
        inputs = {"modular_discipline_exams_average": average}
        points = profile.rounding.apply(formula.evaluate(inputs))
        passed = formula.passes(inputs)
    else:
        points = profile.rounding.apply(average)
        passed = profile.scale.is_passing(points)
    return IntegratedResult(parts, grade_of(profile, points), passed, False)


def integrated_exam_grade(profile: RegulationProfile, exam: str) -> IntegratedResult:
    """KZ-02: an integrated discipline has one integrated exam over all blocks; it is the result."""
    if not exam:
        return IntegratedResult({})
    number = number_of(profile, exam)
    points = profile.rounding.apply(number if number is not None else Decimal(0))
    return IntegratedResult({}, grade_of(profile, points), profile.scale.is_passing(points), False)
