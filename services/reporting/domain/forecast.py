"""Forecast of a student's final result in a course unit and the risk of failing it (KG-13).

The method is deliberately simple and explainable (no black box):

1. **Expected final result** — the profile's own formulae applied to what is known so far: the
   current-control average (an absence counts as the profile says: `н/б` = 0 points in kz-medical,
   `нб` has no value in kg-jasu and only lowers attendance), the midterm average (or the current
   average when no midterm was held yet), and for the exam that has not happened the admission
   rating itself ("a student tends to score at the exam what they scored before").
2. **Risk of failing** — a logistic function of three features: how far the expected result is above
   the pass mark (as a share of the scale), the share of lessons missed, and the share of current
   marks below the pass mark. Its four coefficients are fitted by `fit_risk_model` (plain logistic
   regression by gradient descent) on past results. They are model data, not code: each regulation
   profile carries its own (`forecast.risk_model` in its YAML, fitted on the demo semester), so every
   coefficient can be printed, argued about and replaced by a university's own fit.
3. **Reasons** — each control's cost: how much higher the expected result would be had that control
   been a pass mark; the controls that cost most are shown first, with attendance when it matters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from ejournal_regulation import get_profile
from services.reporting.domain.marks import read_mark, scale_facts

ControlKind = Literal["current", "midterm"]


@dataclass(frozen=True)
class Control:
    """One entry of the student's journal so far."""

    control_id: str
    label: str  # what a person recognises: "2026-09-14 практика", "рубежный контроль 1"
    kind: ControlKind
    mark: str  # the mark as entered: "87", "н/б", "4", "нб"


@dataclass(frozen=True)
class StudentRecord:
    student_id: str
    profile_code: str
    controls: tuple[Control, ...]
    lessons_held: int
    lessons_missed: int


@dataclass(frozen=True)
class RiskModel:
    intercept: float
    margin: float  # weight of (expected - pass mark) / scale range
    missed: float  # weight of the share of lessons missed
    failing_marks: float  # weight of the share of current marks below the pass mark

    def risk(self, features: Sequence[float]) -> float:
        z = self.intercept + self.margin * features[0] + self.missed * features[1]
        z += self.failing_marks * features[2]
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


# A profile without a risk model gives no opinion: every feature weighs nothing, so the risk is 0.5.
NO_MODEL = RiskModel(intercept=0.0, margin=0.0, missed=0.0, failing_marks=0.0)


def model_for(profile_code: str) -> RiskModel:
    """The profile's fitted coefficients (`forecast.risk_model` in the profile's YAML)."""
    found = get_profile(profile_code).forecast_risk
    if found is None:
        return NO_MODEL
    return RiskModel(found.intercept, found.margin, found.missed, found.failing_marks)


@dataclass(frozen=True)
class Reason:
    control_id: str
    label: str
    mark: str
    cost: Decimal  # points (or marks) of the expected result this control costs


@dataclass(frozen=True)
class Forecast:
    student_id: str
    expected: Decimal | None  # None: nothing graded yet
    risk: Decimal  # 0..1
    reasons: tuple[Reason, ...]
    missed_share: Decimal
    features: tuple[float, float, float]


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def expected_result(profile_code: str, controls: Iterable[Control]) -> Decimal | None:
    """The profile's formulae over what is known so far (see the module's step 1)."""
    current: list[Decimal] = []
    midterm: list[Decimal] = []
    for control in controls:
        reading = read_mark(profile_code, control.mark)
        if reading.value is None:
            continue
        (midterm if control.kind == "midterm" else current).append(reading.value)
    c = _mean(current) if current else _mean(midterm)
    if c is None:
        return None
    midterm_mean = _mean(midterm)
    m = midterm_mean if midterm_mean is not None else c
    profile = get_profile(profile_code)
    known: dict[str, Decimal] = {"current_control": c, "midterm_control": m}
    admission = profile.formula("admission_rating").evaluate(known)
    known |= {"admission_rating": admission, "exam": admission, "modular_discipline_exams_average": admission}
    final = profile.formula("final_grade").evaluate(known)
    return final.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def features_of(record: StudentRecord, expected: Decimal) -> tuple[float, float, float]:
    facts = scale_facts(record.profile_code)
    span = float(facts.maximum - facts.minimum) or 1.0
    margin = float(expected - facts.passing) / span
    missed = record.lessons_missed / record.lessons_held if record.lessons_held else 0.0
    readings = [read_mark(record.profile_code, c.mark) for c in record.controls if c.kind == "current"]
    graded = [r for r in readings if r.value is not None]
    failing = sum(1 for r in graded if r.value is not None and r.value < facts.passing)
    return (margin, missed, failing / len(graded) if graded else 0.0)


def reasons_for(record: StudentRecord, expected: Decimal, limit: int = 3) -> tuple[Reason, ...]:
    """The controls that pull the expected result down most (see the module's step 3)."""
    facts = scale_facts(record.profile_code)
    passing_text = format(facts.passing.normalize(), "f")
    found = []
    for index, control in enumerate(record.controls):
        reading = read_mark(record.profile_code, control.mark)
        if reading.value is not None and reading.value >= facts.passing:
            continue
        if reading.value is None and not reading.is_absence:
            continue
        changed = list(record.controls)
        changed[index] = replace(control, mark=passing_text)
        better = expected_result(record.profile_code, changed)
        if better is not None and better > expected:
            found.append(Reason(control.control_id, control.label, control.mark, better - expected))
    found.sort(key=lambda r: (-r.cost, r.label))
    return tuple(found[:limit])


def forecast(record: StudentRecord, model: RiskModel | None = None) -> Forecast:
    model = model or model_for(record.profile_code)
    missed_share = (
        Decimal(record.lessons_missed * 100 / record.lessons_held).quantize(Decimal("0.1"))
        if record.lessons_held
        else Decimal(0)
    )
    expected = expected_result(record.profile_code, record.controls)
    if expected is None:
        return Forecast(record.student_id, None, Decimal("0.50"), (), missed_share, (0.0, 0.0, 0.0))
    features = features_of(record, expected)
    risk = Decimal(model.risk(features)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Forecast(record.student_id, expected, risk, reasons_for(record, expected), missed_share, features)


@dataclass(frozen=True)
class GroupForecast:
    students: int
    expected_average: Decimal | None
    at_risk: int  # risk of failing 0.5 or more

    @property
    def at_risk_share(self) -> Decimal | None:
        if not self.students:
            return None
        return (Decimal(self.at_risk) * 100 / self.students).quantize(Decimal("0.1"))


def group_forecast(forecasts: Iterable[Forecast]) -> GroupForecast:
    items = list(forecasts)
    expected = [f.expected for f in items if f.expected is not None]
    average = _mean(expected)
    return GroupForecast(
        students=len(items),
        expected_average=average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if average is not None
        else None,
        at_risk=sum(1 for f in items if f.risk >= Decimal("0.5")),
    )
