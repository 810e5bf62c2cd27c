"""Absences in a row, counted per lesson (KG-11: the curator and the parents are told)."""

from __future__ import annotations

from services.notifier.domain.absences import Streak, after


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
