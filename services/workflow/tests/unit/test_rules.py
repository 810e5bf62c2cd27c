"""Sanction ladders (KZ-14), the daily fill rule (KZ-09), the weekly check (KG-08) and the closing
deadline's reminders and moves (KZ-05, KZ-06), from the regulation profiles' data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ejournal_platform.errors import FailedPrecondition, InvalidArgument
from ejournal_regulation import get_profile
from services.workflow.domain.closing import check_move, next_reminder, reminder_key
from services.workflow.domain.fill_checks import (
    JournalFill,
    LessonDayFill,
    WeekFill,
    unfilled_cells,
    ungraded_days,
    weekly_figures,
)
from services.workflow.domain.sanctions import Subject, check_confirmation, propose

pytestmark = pytest.mark.unit


@pytest.mark.rule("KZ-14")
def test_ladders_of_the_kz_profile() -> None:
    sanctions = get_profile("kz-medical").sanctions
    assert sanctions is not None

    def measures(teacher: int, department: int) -> dict[Subject, str]:
        found = propose(
            case_id="c",
            term_id="t",
            teacher_id="T",
            department_id="D",
            teacher_count=teacher,
            department_count=department,
            teacher_ladder=sanctions.teacher.measure_for,
            department_ladder=sanctions.department.measure_for,
        )
        return {p.subject: p.measure for p in found}

    assert [measures(n, 1)[Subject.TEACHER] for n in (1, 2, 3, 4, 9)] == [
        "verbal_warning",
        "warning",
        "warning",
        "reprimand",
        "reprimand",
    ]
    assert [measures(1, n)[Subject.DEPARTMENT] for n in (1, 2, 3, 5, 6, 20)] == [
        "verbal_warning",
        "verbal_warning",
        "warning",
        "warning",
        "reprimand",
        "reprimand",
    ]
    assert get_profile("kg-jasu").sanctions is None  # KG has no ladder: nothing is proposed


def test_a_confirmation_needs_a_reference_and_happens_once() -> None:
    with pytest.raises(InvalidArgument):
        check_confirmation("proposed", "")
    with pytest.raises(FailedPrecondition):
        check_confirmation("confirmed", "бұйрық №1")
    check_confirmation("proposed", "бұйрық №1")


def journal(unit_days: int, days: tuple[LessonDayFill, ...]) -> JournalFill:
    return JournalFill("j", ("t",), "d", "f", "cu", unit_days, days)


@pytest.mark.rule("KZ-09")
def test_short_units_flag_lesson_days_without_grades() -> None:
    kz = get_profile("kz-medical")
    assert kz.daily_grading_max_unit_days == 5
    assert kz.needs_daily_grades(5) and not kz.needs_daily_grades(6)
    assert not get_profile("kg-jasu").needs_daily_grades(1)
    limit = kz.needs_daily_grades
    empty = LessonDayFill("2026-11-23", 2, False, 25, 0, 50, 3)
    graded = LessonDayFill("2026-11-24", 1, True, 25, 20, 25, 0)
    assert ungraded_days(journal(5, (empty, graded)), "2026-11-23", limit) == (empty,)
    assert ungraded_days(journal(5, (empty, graded)), "2026-11-24", limit) == ()
    assert ungraded_days(journal(6, (empty,)), "2026-11-23", limit) == ()  # longer units: not daily
    assert ungraded_days(journal(5, (empty,)), "2026-11-23", get_profile("kg-jasu").needs_daily_grades) == ()
    assert unfilled_cells(journal(5, (empty, graded)), "2026-11-24") == 50 + 5


@pytest.mark.rule("KG-08")
def test_weekly_figures_and_findings() -> None:
    full = weekly_figures(WeekFill("2026-11-16", 4, 4, 100, 100, 100, 90, 10))
    assert (full.filled_percent, full.attendance_percent, full.findings) == (Decimal(100), Decimal(90), ())
    poor = weekly_figures(WeekFill("2026-11-16", 4, 3, 120, 75, 0, 0, 0))
    assert str(poor.filled_percent) == "62.5"
    assert poor.findings_in_english == [
        "1 of 4 lessons without marks",
        "45 of 120 cells empty",
        "no attendance recorded",
    ]
    # Each finding is also a catalog key with its values, so a reader is told it in their language.
    assert [(f.key, dict(f.values)) for f in poor.findings] == [
        ("{empty} of {lessons} lessons without marks", {"empty": "1", "lessons": "4"}),
        ("{empty} of {cells} cells empty", {"empty": "45", "cells": "120"}),
        ("no attendance recorded", {}),
    ]


D = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


@pytest.mark.rule("KZ-05", "KZ-06")
def test_closing_reminders_and_deadline_moves() -> None:
    assert get_profile("kz-medical").closing.closing_deadline(D.date()) == (D + timedelta(days=3)).date()
    now = D - timedelta(days=5)
    assert next_reminder(D, (48, 24), frozenset(), now) == (48, D - timedelta(hours=48))
    sent = frozenset({reminder_key(48, D)})
    assert next_reminder(D, (48, 24), sent, now) == (24, D - timedelta(hours=24))
    # The deadline moved to 10 hours from now: both reminders are due; one goes out at once.
    moved = now + timedelta(hours=10)
    assert next_reminder(moved, (48, 24), frozenset(), now) == (24, now)
    assert next_reminder(D, (48, 24), frozenset(), D) is None
    check_move(False, 1, 2, D)
    with pytest.raises(FailedPrecondition):
        check_move(False, 2, 2, D)  # a stale or repeated change
    with pytest.raises(FailedPrecondition):
        check_move(True, 1, 2, D)  # already closed
    with pytest.raises(InvalidArgument):
        check_move(False, 1, 2, D.replace(tzinfo=None))
