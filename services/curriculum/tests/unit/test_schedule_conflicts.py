"""Which overlaps are double bookings (domain/schedule.py), without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from services.curriculum.domain.schedule import Booking, conflict_message, double_booked

pytestmark = pytest.mark.unit

BASE = Booking("l1", "anat", "g1", None, "practical", date(2026, 9, 2), time(9), time(10, 40), "t1", "r1")


def other(**changes: object) -> Booking:
    return replace(BASE, lesson_id="l2", **changes)  # type: ignore[arg-type]


def test_each_shared_resource_at_an_overlapping_time_is_a_conflict() -> None:
    assert double_booked(BASE, other(course_unit_id="hist", teacher_id="t2", classroom_id=None)) == "group_id"
    assert double_booked(BASE, other(group_id="g2", course_unit_id="hist", classroom_id=None)) == "teacher_id"
    assert double_booked(BASE, other(group_id="g2", teacher_id="t2")) == "classroom_id"
    a, b = replace(BASE, subgroup_id="s1"), other(subgroup_id="s1", teacher_id="t2", classroom_id=None)
    assert double_booked(a, b) == "subgroup_id"
    assert double_booked(a, replace(b, subgroup_id="s2")) is None  # subgroups side by side
    assert double_booked(a, replace(b, subgroup_id=None)) == "group_id"  # the whole group over one


def test_no_conflict_back_to_back_on_another_day_or_with_itself() -> None:
    assert double_booked(BASE, other(starts_at=time(10, 40), ends_at=time(12))) is None
    assert double_booked(BASE, other(day=date(2026, 9, 3))) is None
    assert double_booked(BASE, BASE) is None


def test_a_stream_lecture_and_a_substitution_are_the_only_exceptions() -> None:
    stream = other(group_id="g2")  # same teacher, unit, type and hall; another group
    assert double_booked(BASE, stream) is None
    busy = other(group_id="g2", course_unit_id="hist", classroom_id=None)
    assert double_booked(BASE, busy, substitution=True) is None
    assert double_booked(BASE, other(course_unit_id="hist"), substitution=True) == "group_id"


def test_the_message_names_both_lessons_with_their_times() -> None:
    text = conflict_message("teacher_id", BASE, other(starts_at=time(10), ends_at=time(11)))
    assert text == (
        "the teacher is double-booked: lesson l1 (practical, 2026-09-02 09:00–10:40) "
        "and lesson l2 (practical, 2026-09-02 10:00–11:00)"
    )
