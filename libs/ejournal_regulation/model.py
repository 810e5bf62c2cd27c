"""The typed model of a regulation profile, with the rules that depend only on its data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Literal

from ejournal_regulation.scales import Scale

CONTROL_EVENT_KINDS = ("current", "midterm", "intermediate_attestation", "final_attestation")
LESSON_TYPES = ("lecture", "practical", "seminar", "laboratory", "clinical", "self_study")


@dataclass(frozen=True)
class FormulaComponent:
    source: str
    weight: Decimal


@dataclass(frozen=True)
class Formula:
    """A weighted sum of named inputs; weights sum to 1. `minimum` is the passing threshold of the
    result; `component_minimums` are thresholds of single inputs (e.g. the exam itself)."""

    name: str
    components: tuple[FormulaComponent, ...]
    minimum: Decimal | None = None
    component_minimums: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(c.source for c in self.components)

    def evaluate(self, inputs: Mapping[str, Decimal | int]) -> Decimal:
        missing = [s for s in self.sources if s not in inputs]
        if missing:
            raise KeyError(f"{self.name} needs {', '.join(missing)}")
        return sum((Decimal(inputs[c.source]) * c.weight for c in self.components), Decimal(0))

    def passes(self, inputs: Mapping[str, Decimal | int]) -> bool:
        result = self.evaluate(inputs)
        if self.minimum is not None and result < self.minimum:
            return False
        return all(Decimal(inputs[s]) >= low for s, low in self.component_minimums.items() if s in inputs)


@dataclass(frozen=True)
class Rounding:
    places: int
    mode: Literal["half_up", "half_even"]

    def apply(self, value: Decimal) -> Decimal:
        quantum = Decimal(1).scaleb(-self.places)
        return value.quantize(quantum, rounding=ROUND_HALF_UP if self.mode == "half_up" else ROUND_HALF_EVEN)


@dataclass(frozen=True)
class ClosingRule:
    """KZ-05: `days_after_control_event` (3 days); KG-06: `on_final_score_set` (no date, an event)."""

    rule: Literal["days_after_control_event", "on_final_score_set"]
    days: int | None

    def closing_deadline(self, control_event_date: date) -> date | None:
        if self.rule == "days_after_control_event" and self.days is not None:
            return control_event_date + timedelta(days=self.days)
        return None


@dataclass(frozen=True)
class ReopenPolicy:
    """KZ-13 deadlines in days: explanation after closing, review after receipt, correction after
    re-access. `allowed=False` means the profile has no reopen procedure (kg-jasu)."""

    allowed: bool
    explanation_days: int | None = None
    review_days: int | None = None
    correction_days: int | None = None
    approvals: tuple[str, ...] = ()
    granted_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class SanctionStep:
    from_count: int
    to_count: int | None  # None: and above
    measure: str


@dataclass(frozen=True)
class SanctionLadder:
    steps: tuple[SanctionStep, ...]

    def measure_for(self, count: int) -> str | None:
        """The measure for this many reopens; None for zero."""
        for step in self.steps:
            if count >= step.from_count and (step.to_count is None or count <= step.to_count):
                return step.measure
        return None


@dataclass(frozen=True)
class Sanctions:
    """KZ-14: one ladder for a teacher's reopens, one for all reopens of a department."""

    teacher: SanctionLadder
    department: SanctionLadder


@dataclass(frozen=True)
class CredentialIssuer:
    role: str
    issued_by: str
    requested_by: str | None = None


@dataclass(frozen=True)
class CredentialPolicy:
    """KG-03 / KZ-15: who issues whose logins; whether users may change their own access data;
    whether parents get their own read-only, child-scoped logins."""

    issuers: tuple[CredentialIssuer, ...]
    self_service_change: bool
    parents: bool

    def issuer_of(self, role: str) -> CredentialIssuer | None:
        return next((i for i in self.issuers if i.role == role), None)


@dataclass(frozen=True)
class CheckInWindow:
    """KG-09: a QR check-in is accepted from `opens_minutes_before` the lesson's start up to
    `closes_minutes_after` it, lesson times read in `time_zone`; a scan more than `late_after_minutes`
    after the start is recorded as late (None: every accepted scan counts as present)."""

    time_zone: str
    opens_minutes_before: int
    closes_minutes_after: int
    late_after_minutes: int | None = None


@dataclass(frozen=True)
class RiskCoefficients:
    """KG-13's forecast: the weights of a logistic model of the risk of failing, over three features
    (the expected result's margin above the pass mark as a share of the scale, the share of lessons
    missed, the share of current marks below the pass mark). Model data, fitted on past results
    (reporting's `fit_risk_model`): a university refits on its own and replaces them in its profile."""

    intercept: float
    margin: float
    missed: float
    failing_marks: float


@dataclass(frozen=True)
class RegulationProfile:
    code: str
    version: int
    country: str
    title: Mapping[str, str]
    scale: Scale
    formulae: Mapping[str, Formula]
    rounding: Rounding
    control_event_kinds: tuple[str, ...]
    lesson_types: tuple[str, ...]
    closing: ClosingRule
    grade_entry_days_after_lesson: int
    daily_grading_max_unit_days: int | None
    statements_within_days: int | None
    reopen: ReopenPolicy
    sanctions: Sanctions | None
    dispute_answer_days: int
    credentials: CredentialPolicy
    journal_check_every_days: int
    retention_years: int
    check_in: CheckInWindow | None = None
    # The languages statements and other documents are printed in, the state language first
    # (KZ: Kazakh and Russian; KG: Kyrgyz and Russian).
    document_languages: tuple[str, ...] = ()
    # KG-13's risk model (None: the profile has none, and a forecast gives no risk opinion).
    forecast_risk: RiskCoefficients | None = None

    def needs_daily_grades(self, unit_days: int) -> bool:
        """KZ-09: a course unit lasting this many lesson days or fewer gets current-control grades
        every lesson day; a profile without the limit (kg-jasu) never requires it."""
        limit = self.daily_grading_max_unit_days
        return limit is not None and 0 < unit_days <= limit

    def formula(self, name: str) -> Formula:
        try:
            return self.formulae[name]
        except KeyError:
            raise KeyError(f"profile {self.code} has no formula {name!r}") from None
