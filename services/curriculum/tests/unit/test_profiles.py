"""The shipped regulation profiles load, say what the seeds say, and broken files are refused."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ejournal_regulation import (
    PROFILES_DIR,
    ProfileError,
    get_profile,
    load_profile,
    load_profiles,
    parse_profile,
)
from ejournal_regulation.scales import MarkRejected

pytestmark = pytest.mark.unit


def raw(code: str) -> dict[str, Any]:
    data = yaml.safe_load((PROFILES_DIR / f"{code}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def problems_of(data: object) -> list[tuple[str, str]]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, "test")
    return caught.value.problems


def test_both_profiles_ship_and_load() -> None:
    assert set(load_profiles()) == {"kz-medical", "kg-jasu"}


@pytest.mark.rule("KZ-12")
def test_kz_scale_keeps_absent_and_unprepared_distinct() -> None:
    scale = get_profile("kz-medical").scale
    absent, unprepared = scale.parse("н/б"), scale.parse("0")
    assert (absent.text, absent.meaning) == ("н/б", "absent")
    assert (unprepared.text, unprepared.meaning) == ("0", "present_unprepared")
    assert scale.parse("100").value == Decimal(100)
    for bad in ("101", "-1", "нб", "5.5", "", "007"):
        with pytest.raises(MarkRejected):
            scale.parse(bad)


def test_kz_letters_follow_the_credit_system() -> None:
    scale = get_profile("kz-medical").scale
    assert scale.kind == "points"
    assert [(scale.letter_for(p).letter, scale.letter_for(p).gpa) for p in (100, 95, 94, 50, 49, 24, 0)] == [
        ("A", Decimal("4.00")), ("A", Decimal("4.00")), ("A-", Decimal("3.67")), ("D", Decimal("1.00")),
        ("FX", Decimal("0.50")), ("F", Decimal("0.00")), ("F", Decimal("0.00")),
    ]  # fmt: skip


@pytest.mark.rule("KG-05")
def test_kg_scale_is_exactly_five_marks() -> None:
    scale = get_profile("kg-jasu").scale
    assert [scale.parse(m).text for m in ("5", "4", "3", "2", "нб")] == ["5", "4", "3", "2", "нб"]
    assert scale.parse("нб").meaning == "absent"
    for bad in ("1", "0", "н/б", "100", "6"):
        with pytest.raises(MarkRejected):
            scale.parse(bad)


def test_kz_formulae_are_weights() -> None:
    profile = get_profile("kz-medical")
    admission = profile.formula("admission_rating").evaluate({"current_control": 80, "midterm_control": 70})
    assert admission == Decimal("76.0")
    final = profile.formula("final_grade")
    assert final.evaluate({"admission_rating": admission, "exam": 90}) == Decimal("81.60")
    assert not final.passes({"admission_rating": 90, "exam": 40})  # the exam itself must reach 50
    assert profile.formula("module_grade").sources == ("modular_discipline_exams_average",)


@pytest.mark.rule("KZ-05", "KG-06")
def test_closing_rules() -> None:
    assert get_profile("kz-medical").closing.closing_deadline(date(2026, 10, 1)) == date(2026, 10, 4)
    kg = get_profile("kg-jasu").closing
    assert kg.rule == "on_final_score_set" and kg.closing_deadline(date(2026, 10, 1)) is None


@pytest.mark.rule("KZ-13", "KZ-14")
def test_reopen_deadlines_and_sanction_ladders() -> None:
    kz = get_profile("kz-medical")
    assert (kz.reopen.explanation_days, kz.reopen.review_days, kz.reopen.correction_days) == (2, 2, 2)
    assert kz.sanctions is not None
    teacher = [kz.sanctions.teacher.measure_for(n) for n in range(6)]
    assert teacher == [None, "verbal_warning", "warning", "warning", "reprimand", "reprimand"]
    department = [kz.sanctions.department.measure_for(n) for n in range(8)]
    assert department == [None, "verbal_warning", "verbal_warning", "warning", "warning", "warning",
                          "reprimand", "reprimand"]  # fmt: skip
    kg = get_profile("kg-jasu")
    assert kg.reopen.allowed is False and kg.sanctions is None


@pytest.mark.rule("KG-03")
def test_credential_rules() -> None:
    kg = get_profile("kg-jasu").credentials
    assert kg.self_service_change is False and kg.parents is True
    assert kg.issuer_of("student") is not None and kg.issuer_of("student").issued_by == "dean_office"  # type: ignore[union-attr]
    assert kg.issuer_of("teacher").issued_by == "administrator"  # type: ignore[union-attr]
    kz = get_profile("kz-medical").credentials
    assert kz.issuer_of("teacher").requested_by == "department_head"  # type: ignore[union-attr]


def test_unknown_key_and_missing_value_are_named() -> None:
    data = raw("kz-medical")
    data["colour"] = "blue"
    del data["closing"]
    found = dict(problems_of(data))
    assert "colour" in found and "unknown key" in found["colour"]
    assert found["closing"] == "is required"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["scale"]["letters"].pop(3), "scale.letters[3].max"),
        (lambda d: d["scale"]["letters"][0].update(gpa="x"), "scale.letters[0].gpa"),
        (
            lambda d: d["formulae"]["final_grade"]["components"][0].update(weight="0.7"),
            "formulae.final_grade.components",
        ),
        (lambda d: d["sanctions"]["teacher"][1].update({"from": 3}), "sanctions.teacher[1].from"),
        (lambda d: d["sanctions"]["department"][2].update(to=9), "sanctions.department[2].to"),
        (lambda d: d["closing"].pop("days"), "closing.days"),
        (lambda d: d["scale"].update(kind="stars"), "scale.kind"),
        (lambda d: d["control_event_kinds"].append("quiz"), "control_event_kinds[4]"),
        (lambda d: d["reopen"].update(explanation_days=0), "reopen.explanation_days"),
        (lambda d: d["formulae"].pop("final_grade"), "formulae.final_grade"),
        (
            lambda d: d["statements"].update(document_languages=["kk", "ru", "en"]),
            "statements.document_languages",
        ),
        (lambda d: d["statements"].update(document_languages=["uz"]), "statements.document_languages[0]"),
    ],
)
def test_inconsistent_profile_is_refused_with_its_path(mutate: Any, path: str) -> None:
    data = copy.deepcopy(raw("kz-medical"))
    mutate(data)
    assert path in dict(problems_of(data))


def test_kg_mark_listed_twice_is_refused() -> None:
    data = raw("kg-jasu")
    data["scale"]["marks"].append({"mark": "5", "meaning": "grade", "value": 5})
    assert "scale.marks[5].mark" in dict(problems_of(data))


def test_file_name_must_match_code(tmp_path: Path) -> None:
    copy_path = tmp_path / "other.yaml"
    copy_path.write_text((PROFILES_DIR / "kg-jasu.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ProfileError, match="does not match the file name"):
        load_profile(copy_path)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "kg-jasu.yaml"
    broken.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(broken)


def test_each_profile_names_its_document_languages_state_language_first() -> None:
    assert get_profile("kz-medical").document_languages == ("kk", "ru")
    assert get_profile("kg-jasu").document_languages == ("ky", "ru")
