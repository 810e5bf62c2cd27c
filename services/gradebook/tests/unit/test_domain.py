"""Pure rules of the gradebook: scales, totals, the hash chain, check-in codes, sections, fill figures."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ejournal_regulation import get_profile
from services.gradebook.domain import checkin, disputes, fill
from services.gradebook.domain.access import Substitution, writers
from services.gradebook.domain.history_chain import GENESIS, Change, StoredChange, link, verify
from services.gradebook.domain.scale import mark_book
from services.gradebook.domain.sections import SectionSpan, ordered, section_for
from services.gradebook.domain.statements import Line, corrected_students, section_line
from services.gradebook.domain.totals import MarkInput, journal_totals, module_grade

pytestmark = pytest.mark.unit
KZ, KG = get_profile("kz-medical"), get_profile("kg-jasu")


@pytest.mark.rule("KZ-12", "KG-04")
def test_kz_scale_keeps_absent_unprepared_and_clear_apart() -> None:
    values, rejected = mark_book("kz-medical").normalise(["н/б", "0", "", " 85", "085", "нб", "5.5"])
    assert values[:4] == ["н/б", "0", None, "85"]
    assert [r.index for r in rejected] == [4, 5, 6]
    assert all("allowed: н/б, 0..100" in r.reason for r in rejected)


@pytest.mark.rule("KG-05", "KG-04")
def test_kg_scale_is_the_closed_list() -> None:
    values, rejected = mark_book("kg-jasu").normalise(["нб", "5", "4", "3", "2", "1", "0", "н/б"])
    assert values[:5] == ["нб", "5", "4", "3", "2"]
    assert [r.index for r in rejected] == [5, 6, 7]


def marks(*pairs: tuple[str, str | None, str]) -> list[MarkInput]:
    return [MarkInput(kind, control, value) for kind, control, value in pairs]


def test_kz_totals_follow_the_profile_formulae() -> None:
    inputs = marks(
        ("lesson", None, "80"),
        ("lesson", None, "н/б"),
        ("lesson", None, "100"),  # current 60
        ("control", "midterm", "75"),
        ("control", "intermediate_attestation", "90"),
    )
    totals = journal_totals(KZ, inputs)
    assert totals.current_control == Decimal("60.00")
    assert totals.admission_rating == Decimal("66")  # 0.6*60 + 0.4*75
    assert totals.admitted
    assert totals.final is not None
    assert (totals.final.points, totals.final.letter, totals.final.gpa) == (Decimal("76"), "B-", "2.67")
    assert totals.passed
    failed_exam = journal_totals(KZ, [*inputs[:-1], MarkInput("control", "intermediate_attestation", "45")])
    assert not failed_exam.passed  # the exam itself is below its minimum of 50


def test_kg_final_grade_is_the_attestation_mark() -> None:
    totals = journal_totals(
        KG,
        marks(
            ("lesson", None, "5"),
            ("lesson", None, "нб"),
            ("lesson", None, "3"),
            ("control", "intermediate_attestation", "4"),
        ),
    )
    assert totals.current_control == Decimal("4.00")  # нб has no number and is left out
    assert totals.final is not None and totals.final.traditional == "хорошо" and totals.passed


@pytest.mark.rule("KZ-02")
def test_module_grade_is_the_plain_average_of_modular_exams_and_needs_all_of_them() -> None:
    parts = ["a", "b", "c"]
    assert module_grade(KZ, parts, {"a": "70", "b": "80"}).incomplete
    result = module_grade(KZ, parts, {"a": "70", "b": "80", "c": "95"})
    assert result.grade is not None and result.grade.points == Decimal("82") and result.passed


def change(position: int, value: str) -> Change:
    return Change(
        "j",
        position,
        "mark",
        "c",
        "s",
        None,
        value,
        "t",
        None,
        None,
        None,
        None,
        datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )


def chain(values: list[str]) -> list[StoredChange]:
    previous, out = GENESIS, []
    for i, value in enumerate(values, start=1):
        c = change(i, value)
        h = link(previous, c)
        out.append(StoredChange(c, previous, h))
        previous = h
    return out


@pytest.mark.rule("KZ-01")
def test_the_chain_verifies_and_names_the_first_broken_link() -> None:
    stored = chain(["5", "4", "3", "2"])
    assert verify(stored, (4, stored[-1].hash)).intact
    edited = list(stored)
    edited[1] = dataclasses.replace(stored[1], change=change(2, "5"))
    verdict = verify(edited, (4, stored[-1].hash))
    assert (verdict.intact, verdict.first_broken_position, verdict.reason) == (False, 2, "hash mismatch")
    assert verify([stored[0], stored[2], stored[3]], None).reason == "position gap"
    assert verify(stored[:3], (4, stored[-1].hash)).reason == "head mismatch"


@pytest.mark.rule("KG-09")
def test_check_in_codes_rotate_expire_and_bind_their_lesson() -> None:
    secret, lesson, other = b"s" * 32, str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC)
    code = checkin.issue(secret, lesson, now)
    assert checkin.issue(secret, lesson, now + timedelta(seconds=30)).text != code.text
    scanned = checkin.parse(code.text)
    assert checkin.verify(secret, scanned, now + timedelta(seconds=40)) == code.window
    with pytest.raises(checkin.CheckInRefused, match="expired"):
        checkin.verify(secret, scanned, now + timedelta(seconds=61))
    forged = dataclasses.replace(scanned, lesson_id=other)
    with pytest.raises(checkin.CheckInRefused) as foreign:
        checkin.verify(secret, forged, now)
    assert foreign.value.reason == "foreign"
    with pytest.raises(checkin.CheckInRefused):
        checkin.verify(b"x" * 32, scanned, now)  # another classroom's secret


def test_lessons_fall_into_the_first_control_event_on_or_after_their_date() -> None:
    d = date(2026, 10, 1)
    spans = ordered(
        [
            SectionSpan("mid", "midterm", d + timedelta(days=10), False),
            SectionSpan("cur", "current", d + timedelta(days=10), False),
            SectionSpan("exam", "intermediate_attestation", d + timedelta(days=20), False),
        ]
    )
    assert [section_for(d + timedelta(days=n), spans) for n in (0, 10, 11, 21)] == [
        "cur",
        "cur",
        "exam",
        None,
    ]


@pytest.mark.rule("KZ-07")
def test_a_substitute_writes_on_behalf_of_the_absent_teacher_only_within_the_dates() -> None:
    sub = Substitution("t1", "s1", date(2026, 11, 1), date(2026, 11, 5), frozenset({"j1"}))
    assert writers(["t1"], [sub], "j1", "u", date(2026, 11, 3)).on_behalf_of("s1") == "t1"
    assert "s1" not in writers(["t1"], [sub], "j1", "u", date(2026, 11, 6)).ids
    assert "s1" not in writers(["t1"], [sub], "j2", "u", date(2026, 11, 3)).ids


def test_individual_statement_rows_are_the_students_whose_result_changed() -> None:
    before = [Line("a", "70", "70"), Line("b", "80", "80")]
    after = [Line("a", "70", "70"), Line("b", "85", "85")]
    assert corrected_students(before, after) == ["b"]
    line = section_line(
        KZ, "a", "current", marks(("lesson", None, "60"), ("lesson", None, "71")), "", journal_totals(KZ, [])
    )
    assert (line.points, line.letter) == ("66", "C")


@pytest.mark.rule("KG-10")
def test_dispute_answers_need_a_reason_or_a_correction() -> None:
    with pytest.raises(disputes.DisputeRuleBroken):
        disputes.check_answer("open", "rejected", " ", "")
    with pytest.raises(disputes.DisputeRuleBroken):
        disputes.check_answer("open", "accepted", "", "")
    with pytest.raises(disputes.DisputeRuleBroken):
        disputes.check_answer("rejected", "accepted", "", "5")
    opened = datetime(2026, 11, 1, tzinfo=UTC)
    due = disputes.answer_due(opened, KG.dispute_answer_days)
    assert not disputes.is_overdue("open", due, due) and disputes.is_overdue(
        "open", due, due + timedelta(seconds=1)
    )
    assert not disputes.is_overdue("rejected", due, due + timedelta(days=9))


def test_weekly_fill_figures() -> None:
    monday = date(2026, 11, 16)
    lessons = [
        fill.LessonFill("a", monday, 10, 10, 10, 9, 1),
        fill.LessonFill("b", monday + timedelta(days=2), 10, 0, 0, 0, 0),
    ]
    (week,) = fill.by_week(lessons)
    assert (week.filling_percent, week.attendance_percent, week.lessons_with_marks) == (
        Decimal("50.0"),
        Decimal("90.0"),
        1,
    )
    assert [d.has_marks for d in fill.by_day(lessons)] == [True, False]
