"""The report arithmetic: filling on the lesson day (KG-04 as KG-11 measures it), attendance, quality
per scale, reopen step durations (KZ-13 step 5) and the retention date (KG-12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from services.reporting.domain.attendance import Presence, attendance, frequent_absentees
from services.reporting.domain.filling import LessonFilling, figures, weeks
from services.reporting.domain.quality import FinalResult, quality
from services.reporting.domain.reopens import ReopenCaseView, StepSpan, analyse, reason_key
from services.reporting.domain.retention import Retained, add_years, due_for_archive, keep_until

pytestmark = pytest.mark.unit
DAY = date(2026, 9, 7)


def lesson(entries: int, first: date | None, students: int = 10) -> LessonFilling:
    return LessonFilling("l", DAY, "u", "g", "t", "d", "f", students, entries, first)


@pytest.mark.rule("KG-11")
def test_filling_counts_a_lesson_filled_late_as_filled_but_not_on_time() -> None:
    result = figures([lesson(10, DAY), lesson(10, DAY + timedelta(days=1)), lesson(0, None), lesson(5, DAY)])
    assert (result.lessons_held, result.lessons_filled, result.lessons_on_time) == (4, 3, 2)
    assert result.filled_rate == Decimal("75.0") and result.on_time_rate == Decimal("50.0")
    assert result.completeness == Decimal("62.5")
    assert figures([]).filled_rate is None


def test_weeks_run_monday_to_sunday() -> None:
    assert weeks(date(2026, 9, 2), date(2026, 9, 14)) == [
        (date(2026, 8, 31), date(2026, 9, 6)),
        (date(2026, 9, 7), date(2026, 9, 13)),
        (date(2026, 9, 14), date(2026, 9, 20)),
    ]


@pytest.mark.rule("KG-11")
def test_attendance_and_the_students_to_call() -> None:
    records = [Presence("a", "g", f"l{i}", DAY, i != 0, Decimal(2)) for i in range(4)]
    records += [Presence("b", "g", f"l{i}", DAY, True, Decimal(2)) for i in range(4)]
    result = attendance(records)
    assert (result.present, result.absent, result.hours_missed) == (7, 1, Decimal(2))
    assert [s for s, _ in frequent_absentees(records)] == ["a"]


@pytest.mark.rule("KG-11")
def test_quality_uses_each_profiles_own_thresholds() -> None:
    kz = [
        FinalResult(str(i), "u", "g", "d", "f", "kz-medical", Decimal(v))
        for i, v in enumerate((95, 75, 74, 50, 49))
    ]
    result = quality([*kz, FinalResult("x", "u", "g", "d", "f", "kz-medical", None)])
    assert (result.results, result.passed, result.good) == (6, 4, 2)
    kg = [FinalResult(str(i), "u", "g", "d", "f", "kg-jasu", Decimal(v)) for i, v in enumerate((5, 4, 3, 2))]
    assert (quality(kg).passed, quality(kg).good) == (3, 2)


@pytest.mark.rule("KZ-13")
def test_reopen_analysis_ranks_reasons_and_times_the_steps() -> None:
    t0 = datetime(2026, 10, 1, 9, tzinfo=UTC)

    def case(n: int, reason: str, hours: int) -> ReopenCaseView:
        review = StepSpan("review", t0, t0 + timedelta(hours=hours), t0 + timedelta(days=2))
        return ReopenCaseView(f"c{n}", "j", "t", "d", "f", "kz-medical", reason, "", t0, None, "", (review,))

    cases = [case(1, "Ошибка ввода.", 10), case(2, "ошибка  ввода", 60), case(3, "сбой", 20)]
    result = analyse(cases, t0 - timedelta(days=1), t0 + timedelta(days=1), t0 + timedelta(days=10))
    assert [(c.key, c.count) for c in result.by_reason] == [("ошибка ввода", 2), ("сбой", 1)]
    assert result.steps[0].median_hours == Decimal("20.0") and result.steps[0].overdue == 1
    assert [(c.count, c.measure) for c in result.by_teacher] == [(3, "warning")]
    assert reason_key(case(4, "", 1)) == "(no reason given)"


@pytest.mark.rule("KG-12")
def test_journals_are_kept_five_years_after_their_term() -> None:
    journal = Retained("journal", "j", date(2021, 1, 31), "kg-jasu")
    assert keep_until(journal) == date(2026, 1, 31)
    assert due_for_archive([journal], date(2026, 1, 31)) == []
    assert due_for_archive([journal], date(2026, 2, 1)) == [journal]
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
