"""Validation of a profile document, section by section; problems go to the Reader with their paths."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ejournal_regulation.model import (
    CONTROL_EVENT_KINDS,
    LESSON_TYPES,
    CheckInWindow,
    ClosingRule,
    CredentialIssuer,
    CredentialPolicy,
    Formula,
    FormulaComponent,
    ReopenPolicy,
    RiskCoefficients,
    Rounding,
    SanctionLadder,
    Sanctions,
    SanctionStep,
)
from ejournal_regulation.reader import Reader
from ejournal_regulation.scales import (
    MARK_MEANINGS,
    LetterGrade,
    MarkMeaning,
    MarksScale,
    PointsScale,
    Scale,
    ScaleMark,
    SpecialMark,
)

TOP_KEYS = (
    "code", "version", "country", "title", "scale", "formulae", "rounding", "control_event_kinds",
    "lesson_types", "closing", "grade_entry", "statements", "reopen", "sanctions", "disputes",
    "credentials", "monitoring", "retention_years", "check_in", "forecast",
)  # fmt: skip
OPTIONAL_KEYS = ("sanctions", "check_in", "forecast")
REQUIRED_FORMULAE = ("admission_rating", "final_grade")
MEASURES = ("verbal_warning", "warning", "reprimand")


def parse_profile_parts(r: Reader, data: object) -> dict[str, Any] | None:
    top = r.mapping(data, "", TOP_KEYS)
    if not top:
        return None
    for key in TOP_KEYS:
        if key not in top and key not in OPTIONAL_KEYS:
            r.fail(key, "is required")
    grade_entry = r.mapping(
        top.get("grade_entry"), "grade_entry", ("days_after_lesson", "daily_grading_max_unit_days")
    )
    statements = r.mapping(
        top.get("statements"), "statements", ("form_within_days_after_final_control", "document_languages")
    )
    document_languages = r.texts(statements, "document_languages", "statements", ("kk", "ky", "ru", "en"))
    if not 1 <= len(document_languages) <= 2:
        r.fail("statements.document_languages", "name one or two languages, the state language first")
    disputes = r.mapping(top.get("disputes"), "disputes", ("answer_days",))
    monitoring = r.mapping(top.get("monitoring"), "monitoring", ("journal_check_every_days",))
    return {
        "code": r.text(top, "code", ""),
        "version": r.integer(top, "version", "", minimum=1) or 0,
        "country": r.text(top, "country", "", choices=("KZ", "KG")),
        "title": r.translations(top, "title", ""),
        "scale": parse_scale(r, top.get("scale")),
        "formulae": parse_formulae(r, top.get("formulae")),
        "rounding": parse_rounding(r, top.get("rounding")),
        "control_event_kinds": r.texts(top, "control_event_kinds", "", CONTROL_EVENT_KINDS),
        "lesson_types": r.texts(top, "lesson_types", "", LESSON_TYPES),
        "closing": parse_closing(r, top.get("closing")),
        "grade_entry_days_after_lesson": r.integer(grade_entry, "days_after_lesson", "grade_entry") or 0,
        "daily_grading_max_unit_days": r.integer(
            grade_entry, "daily_grading_max_unit_days", "grade_entry", minimum=1, optional=True
        ),
        "statements_within_days": r.integer(
            statements, "form_within_days_after_final_control", "statements", minimum=1, optional=True
        ),
        "document_languages": document_languages,
        "reopen": parse_reopen(r, top.get("reopen")),
        "sanctions": parse_sanctions(r, top.get("sanctions")),
        "dispute_answer_days": r.integer(disputes, "answer_days", "disputes", minimum=1) or 0,
        "credentials": parse_credentials(r, top.get("credentials")),
        "journal_check_every_days": r.integer(monitoring, "journal_check_every_days", "monitoring", minimum=1)
        or 0,
        "retention_years": r.integer(top, "retention_years", "", minimum=1) or 0,
        "check_in": parse_check_in(r, top.get("check_in")),
        "forecast_risk": parse_forecast(r, top.get("forecast")),
    }


RISK_WEIGHTS = ("intercept", "margin", "missed", "failing_marks")


def parse_forecast(r: Reader, data: object) -> RiskCoefficients | None:
    """KG-13's risk model (`forecast.risk_model`); absent: no coefficients."""
    if data is None:
        return None
    model = r.mapping(r.mapping(data, "forecast", ("risk_model",)).get("risk_model"), "forecast.risk_model",
                      RISK_WEIGHTS)  # fmt: skip
    weights = [r.number(model, name, "forecast.risk_model") for name in RISK_WEIGHTS]
    return RiskCoefficients(*(float(w) if w is not None else 0.0 for w in weights))


def parse_check_in(r: Reader, data: object) -> CheckInWindow | None:
    """KG-09's window around a lesson's start; absent: check-ins are bound to the code's validity only."""
    if data is None:
        return None
    keys = ("time_zone", "opens_minutes_before", "closes_minutes_after", "late_after_minutes")
    m = r.mapping(data, "check_in", keys)
    zone = r.text(m, "time_zone", "check_in")
    try:
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        r.fail("check_in.time_zone", f"{zone!r} is not a known time zone")
    closes = r.integer(m, "closes_minutes_after", "check_in", minimum=1) or 0
    late = r.integer(m, "late_after_minutes", "check_in", optional=True)
    if late is not None and not 0 <= late < closes:
        r.fail("check_in.late_after_minutes", f"must lie within 0..{closes - 1} (before the window closes)")
    return CheckInWindow(zone, r.integer(m, "opens_minutes_before", "check_in") or 0, closes, late)


def parse_scale(r: Reader, data: object) -> Scale:
    kind = r.mapping(data, "scale", ("kind", "min", "max", "special_marks", "zero_meaning", "passing_points",
                                     "letters", "marks", "passing_value")).get("kind")  # fmt: skip
    if kind == "points":
        return parse_points_scale(r, cast(Mapping[str, object], data))
    if kind == "marks":
        return parse_marks_scale(r, cast(Mapping[str, object], data))
    r.fail("scale.kind", f"{kind!r} is not one of: points, marks")
    return MarksScale((), Decimal(0))


def parse_points_scale(r: Reader, s: Mapping[str, object]) -> PointsScale:
    low = r.integer(s, "min", "scale") or 0
    high = r.integer(s, "max", "scale") or 0
    if high <= low:
        r.fail("scale.max", "must be greater than scale.min")
    specials = []
    for i, item in enumerate(r.items(s, "special_marks", "scale")):
        path = f"scale.special_marks[{i}]"
        m = r.mapping(item, path, ("mark", "meaning", "counts_as_points"))
        mark = r.text(m, "mark", path)
        if mark.isdigit():
            r.fail(f"{path}.mark", "a special mark must not be a number")
        specials.append(
            SpecialMark(mark, meaning(r, m, path), r.number(m, "counts_as_points", path, optional=True))
        )
    letters: list[LetterGrade] = []
    for i, item in enumerate(r.items(s, "letters", "scale")):
        path = f"scale.letters[{i}]"
        m = r.mapping(item, path, ("letter", "min", "max", "gpa", "traditional"))
        letters.append(LetterGrade(r.text(m, "letter", path), r.integer(m, "min", path) or 0,
                                   r.integer(m, "max", path) or 0, r.number(m, "gpa", path) or Decimal(0),
                                   r.translations(m, "traditional", path)))  # fmt: skip
    check_letter_bands(r, letters, low, high)
    zero = r.text(s, "zero_meaning", "scale", choices=MARK_MEANINGS)
    passing = r.integer(s, "passing_points", "scale") or 0
    if not low <= passing <= high:
        r.fail("scale.passing_points", f"must lie within {low}..{high}")
    return PointsScale(
        low, high, tuple(specials), cast(MarkMeaning, zero or "grade"), passing, tuple(letters)
    )


def check_letter_bands(r: Reader, letters: list[LetterGrade], low: int, high: int) -> None:
    """Bands, listed from the top, must cover low..high exactly once, with GPA never rising downwards."""
    expected_top = high
    for i, band in enumerate(letters):
        if band.max_points != expected_top:
            r.fail(
                f"scale.letters[{i}].max", f"must be {expected_top} (bands from the top, no gap or overlap)"
            )
        if band.min_points > band.max_points:
            r.fail(f"scale.letters[{i}].min", "must not exceed max")
        if i and band.gpa > letters[i - 1].gpa:
            r.fail(f"scale.letters[{i}].gpa", "must not exceed the GPA of the band above")
        expected_top = band.min_points - 1
    if letters and letters[-1].min_points != low:
        r.fail(f"scale.letters[{len(letters) - 1}].min", f"the lowest band must start at {low}")
    if not letters:
        r.fail("scale.letters", "a points scale needs its letter bands")


def parse_marks_scale(r: Reader, s: Mapping[str, object]) -> MarksScale:
    marks: list[ScaleMark] = []
    for i, item in enumerate(r.items(s, "marks", "scale")):
        path = f"scale.marks[{i}]"
        m = r.mapping(item, path, ("mark", "meaning", "value", "traditional"))
        text, what = r.text(m, "mark", path), meaning(r, m, path)
        value = r.number(m, "value", path, optional=what != "grade")
        if text in {x.mark for x in marks}:
            r.fail(f"{path}.mark", f"{text!r} is listed twice")
        marks.append(ScaleMark(text, what, value, r.translations(m, "traditional", path)))
    if not marks:
        r.fail("scale.marks", "must list at least one mark")
    return MarksScale(tuple(marks), r.number(s, "passing_value", "scale") or Decimal(0))


def meaning(r: Reader, m: Mapping[str, object], path: str) -> MarkMeaning:
    return cast(MarkMeaning, r.text(m, "meaning", path, choices=MARK_MEANINGS) or "grade")


def parse_formulae(r: Reader, data: object) -> dict[str, Formula]:
    found: dict[str, Formula] = {}
    if not isinstance(data, Mapping):
        r.fail("formulae", "must be a mapping of formula names")
        return found
    for name in REQUIRED_FORMULAE:
        if name not in data:
            r.fail(f"formulae.{name}", "is required")
    for name, body in data.items():
        path = f"formulae.{name}"
        m = r.mapping(body, path, ("components", "minimum", "component_minimums"))
        parts = []
        for i, item in enumerate(r.items(m, "components", path)):
            c = r.mapping(item, f"{path}.components[{i}]", ("source", "weight"))
            weight = r.number(c, "weight", f"{path}.components[{i}]") or Decimal(0)
            if weight <= 0:
                r.fail(f"{path}.components[{i}].weight", "must be positive")
            parts.append(FormulaComponent(r.text(c, "source", f"{path}.components[{i}]"), weight))
        if parts and sum(p.weight for p in parts) != 1:
            r.fail(f"{path}.components", f"weights must sum to 1, not {sum(p.weight for p in parts)}")
        lows = m.get("component_minimums", {})
        minimums = {}
        if isinstance(lows, Mapping):
            for source in lows:
                if source not in {p.source for p in parts}:
                    r.fail(f"{path}.component_minimums.{source}", "names no component of this formula")
                minimums[str(source)] = r.number(lows, source, f"{path}.component_minimums") or Decimal(0)
        else:
            r.fail(f"{path}.component_minimums", "must be a mapping")
        minimum = r.number(m, "minimum", path, optional=True)
        found[str(name)] = Formula(str(name), tuple(parts), minimum, minimums)
    return found


def parse_rounding(r: Reader, data: object) -> Rounding:
    m = r.mapping(data, "rounding", ("places", "mode"))
    mode = r.text(m, "mode", "rounding", choices=("half_up", "half_even"))
    return Rounding(r.integer(m, "places", "rounding") or 0, cast(Literal["half_up", "half_even"], mode))


def parse_closing(r: Reader, data: object) -> ClosingRule:
    m = r.mapping(data, "closing", ("rule", "days"))
    rule = r.text(m, "rule", "closing", choices=("days_after_control_event", "on_final_score_set"))
    days = r.integer(m, "days", "closing", minimum=1, optional=rule != "days_after_control_event")
    if rule == "on_final_score_set" and days is not None:
        r.fail("closing.days", "is meaningless when closing is on_final_score_set")
    return ClosingRule(cast(Literal["days_after_control_event", "on_final_score_set"], rule), days)


def parse_reopen(r: Reader, data: object) -> ReopenPolicy:
    keys = ("allowed", "explanation_days", "review_days", "correction_days", "approvals", "granted_by")
    m = r.mapping(data, "reopen", keys)
    if not r.flag(m, "allowed", "reopen"):
        for key in keys[1:]:
            if key in m:
                r.fail(f"reopen.{key}", "is meaningless when reopen is not allowed")
        return ReopenPolicy(False)
    days = [r.integer(m, key, "reopen", minimum=1) for key in keys[1:4]]
    lists = [tuple(str(x) for x in r.items(m, key, "reopen")) for key in keys[4:]]
    return ReopenPolicy(True, days[0], days[1], days[2], lists[0], lists[1])


def parse_sanctions(r: Reader, data: object) -> Sanctions | None:
    if data is None:
        return None
    m = r.mapping(data, "sanctions", ("teacher", "department"))
    return Sanctions(ladder(r, m, "teacher"), ladder(r, m, "department"))


def ladder(r: Reader, m: Mapping[str, object], who: str) -> SanctionLadder:
    """Steps must start at 1, follow each other without gaps and end open (`to: null`)."""
    steps: list[SanctionStep] = []
    for i, item in enumerate(r.items(m, who, "sanctions")):
        path = f"sanctions.{who}[{i}]"
        s = r.mapping(item, path, ("from", "to", "measure"))
        low = r.integer(s, "from", path, minimum=1) or 0
        high = r.integer(s, "to", path, minimum=1, optional=True)
        expected = steps[-1].to_count + 1 if steps and steps[-1].to_count is not None else 1
        if low != expected:
            r.fail(f"{path}.from", f"must be {expected} (steps follow each other without gaps)")
        if high is not None and high < low:
            r.fail(f"{path}.to", "must not be below from")
        if steps and steps[-1].to_count is None:
            r.fail(path, "follows an open-ended step")
        steps.append(SanctionStep(low, high, r.text(s, "measure", path, choices=MEASURES)))
    if steps and steps[-1].to_count is not None:
        r.fail(f"sanctions.{who}[{len(steps) - 1}].to", "the last step must be open-ended (null)")
    return SanctionLadder(tuple(steps))


def parse_credentials(r: Reader, data: object) -> CredentialPolicy:
    m = r.mapping(data, "credentials", ("issuers", "self_service_change", "parents"))
    issuers = []
    for i, item in enumerate(r.items(m, "issuers", "credentials")):
        path = f"credentials.issuers[{i}]"
        s = r.mapping(item, path, ("role", "issued_by", "requested_by"))
        requested = r.text(s, "requested_by", path) if "requested_by" in s else None
        issuers.append(CredentialIssuer(r.text(s, "role", path), r.text(s, "issued_by", path), requested))
    return CredentialPolicy(tuple(issuers), r.flag(m, "self_service_change", "credentials"),
                            r.flag(m, "parents", "credentials"))  # fmt: skip
