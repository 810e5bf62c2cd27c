"""Absences in a row, counted per lesson (KG-11: the curator and the parents are told)."""

from __future__ import annotations

import pytest

from ejournal_regulation import get_profile
from services.notifier.domain.absences import Streak, after, status_of_mark


def run(records: list[tuple[str, str]], threshold: int = 3) -> tuple[Streak, list[str]]:
    streak, reached_at = Streak(), []
    for lesson, status in records:
        streak, reached = after(streak, lesson, status, threshold)
        if reached:
            reached_at.append(lesson)
    return streak, reached_at


def test_the_threshold_is_reached_once_per_streak() -> None:
    streak, reached = run([("l1", "absent"), ("l2", "absent"), ("l3", "absent"), ("l4", "absent")])
    assert reached == ["l3"] and streak.length == 4


def test_a_lesson_recorded_twice_counts_once_and_presence_breaks_the_streak() -> None:
    _, reached = run(
        [("l1", "absent"), ("l1", "absent"), ("l2", "absent"), ("l3", "present"), ("l4", "absent")]
    )
    assert reached == []


def test_a_corrected_absence_is_taken_back() -> None:
    streak, reached = run([("l1", "absent"), ("l2", "absent"), ("l2", "excused"), ("l3", "absent")])
    assert streak.lessons == ("l1", "l3") and reached == []


def test_a_cleared_mark_takes_back_only_the_absence_it_had_counted() -> None:
    streak, reached = run([("l1", "absent"), ("l2", "absent"), ("l9", ""), ("l2", ""), ("l3", "absent")])
    assert streak.lessons == ("l1", "l3") and reached == []


@pytest.mark.rule("KZ-12")
def test_marks_mean_attendance_on_the_journals_scale() -> None:
    kz, kg = get_profile("kz-medical"), get_profile("kg-jasu")
    assert [status_of_mark(m, kz) for m in ("н/б", "87", "0", "", "нб")] == [
        "absent", "present", "present", "", "",
    ]  # fmt: skip
    assert [status_of_mark(m, kg) for m in ("нб", "5", "2", "н/б")] == ["absent", "present", "present", ""]
