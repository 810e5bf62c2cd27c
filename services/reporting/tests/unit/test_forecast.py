"""KG-13: the forecast of a student's final result and risk of failing, judged on students of the demo
semester that the risk model never saw, with the reasons that pull a result down."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from ejournal_regulation import parse_profile, profile_document
from services.reporting.domain.forecast import (
    NO_MODEL,
    Control,
    RiskModel,
    StudentRecord,
    expected_result,
    forecast,
    group_forecast,
    model_for,
)
from services.reporting.domain.forecast_fit import accuracy, fit_risk_model
from services.reporting.tests.demo.semester import DemoSemester, generate

pytestmark = pytest.mark.unit

KNOWN_LESSONS = 20  # the forecast is made after 20 of the semester's 30 lessons (and the midterm)


def split(semester: DemoSemester) -> tuple[list[str], list[str]]:
    students = [s.student_id for s in semester.students]
    train = [s for i, s in enumerate(students) if i % 10 < 7]
    held_out = [s for i, s in enumerate(students) if i % 10 >= 7]
    return train, held_out


@pytest.mark.rule("KG-13")
@pytest.mark.parametrize("profile", ["kz-medical", "kg-jasu"])
def test_forecast_beats_the_naive_guesses_on_held_out_students(profile: str) -> None:
    semester = generate(profile, groups=8)
    train, held_out = split(semester)
    samples = [(forecast(semester.record(s, KNOWN_LESSONS)).features, semester.finals[s][1]) for s in train]
    model = fit_risk_model(samples)
    forecasts = [forecast(semester.record(s, KNOWN_LESSONS), model) for s in held_out]
    measured = accuracy(forecasts, semester.finals)

    truth = [semester.finals[s] for s in held_out]
    base_rate = sum(1 for _, failed in truth if failed) / len(truth)
    # The naive guesses: everyone passes; everyone gets the training students' mean result.
    always_pass = Decimal(1 - base_rate)
    train_mean = sum((semester.finals[s][0] for s in train), Decimal(0)) / len(train)
    mean_error = sum((abs(value - train_mean) for value, _ in truth), Decimal(0)) / len(truth)
    constant_brier = Decimal(base_rate * (1 - base_rate))

    assert measured.students == len(held_out) == 60
    assert measured.failure_accuracy >= always_pass
    assert measured.mean_absolute_error < mean_error * Decimal("0.7")
    assert measured.brier < constant_brier
    assert measured.failures > 0


@pytest.mark.rule("KG-13")
@pytest.mark.parametrize("profile", ["kz-medical", "kg-jasu"])
def test_the_shipped_coefficients_are_the_fitted_ones(profile: str) -> None:
    """The profile's `forecast.risk_model` says it was fitted on the demo semester: refitting gives the
    same numbers."""
    semester = generate(profile, groups=8)
    train, _ = split(semester)
    samples = [(forecast(semester.record(s, KNOWN_LESSONS)).features, semester.finals[s][1]) for s in train]
    fitted = fit_risk_model(samples)
    shipped = model_for(profile)
    for name in ("intercept", "margin", "missed", "failing_marks"):
        assert getattr(fitted, name) == pytest.approx(getattr(shipped, name), abs=0.02), name


@pytest.mark.rule("KG-13")
def test_expected_result_follows_the_profiles_formulae() -> None:
    # kz-medical: admission = 0.6 current + 0.4 midterm; final = 0.6 admission + 0.4 exam (exam := admission).
    controls = [
        Control("l1", "a", "current", "80"),
        Control("l2", "b", "current", "н/б"),
        Control("m", "m", "midterm", "70"),
    ]
    assert expected_result("kz-medical", controls) == Decimal(
        "52.0"
    )  # current (80+0)/2 = 40 -> 0.6*40+0.4*70
    # kg-jasu: "нб" has no value (it only lowers attendance); the final is the exam, taken as the average.
    controls = [
        Control("l1", "a", "current", "5"),
        Control("l2", "b", "current", "нб"),
        Control("l3", "c", "current", "4"),
    ]
    assert expected_result("kg-jasu", controls) == Decimal("4.5")
    assert expected_result("kg-jasu", []) is None


@pytest.mark.rule("KG-13")
def test_reasons_name_the_controls_that_pull_the_result_down() -> None:
    controls = (
        Control("l1", "2026-09-01 тақырып 1", "current", "90"),
        Control("l2", "2026-09-03 тақырып 2", "current", "20"),
        Control("l3", "2026-09-08 тақырып 3", "current", "н/б"),
        Control("l4", "2026-09-10 тақырып 4", "current", "45"),
    )
    result = forecast(StudentRecord("s", "kz-medical", controls, lessons_held=4, lessons_missed=1))
    assert [r.control_id for r in result.reasons] == ["l3", "l2", "l4"]  # 50 lost, 30 lost, 5 lost
    assert [r.cost for r in result.reasons] == sorted((r.cost for r in result.reasons), reverse=True)
    assert result.missed_share == Decimal("25.0")
    good = forecast(StudentRecord("g", "kz-medical", (Control("l1", "x", "current", "95"),), 1, 0))
    assert good.reasons == () and good.risk < result.risk


def test_group_forecast_counts_students_at_risk() -> None:
    weak = forecast(StudentRecord("w", "kz-medical", (Control("l", "x", "current", "30"),), 1, 0))
    strong = forecast(StudentRecord("s", "kz-medical", (Control("l", "x", "current", "90"),), 1, 0))
    group = group_forecast([weak, strong])
    assert (group.students, group.at_risk) == (2, 1)
    assert group.expected_average == Decimal("60.0")


@pytest.mark.rule("KG-13")
def test_the_risk_model_is_the_profiles_data() -> None:
    """The coefficients come from the profile's YAML, not from code: a profile with other numbers gives
    another risk, and one without a model gives no opinion (0.5)."""
    document = yaml.safe_load(profile_document("kz-medical"))
    assert document["forecast"]["risk_model"]["intercept"] == model_for("kz-medical").intercept
    record = StudentRecord("s", "kz-medical", (Control("l1", "a", "current", "40"),), 10, 5)
    document["forecast"]["risk_model"]["intercept"] += 3
    edited = parse_profile(document).forecast_risk
    assert edited is not None
    raised = RiskModel(edited.intercept, edited.margin, edited.missed, edited.failing_marks)
    assert forecast(record, raised).risk > forecast(record).risk
    del document["forecast"]
    assert parse_profile(document).forecast_risk is None
    assert forecast(record, NO_MODEL).risk == Decimal("0.50")
