"""The schedule: a lesson lies inside its course unit's term and takes a positive span of time."""

from __future__ import annotations

from datetime import date, time

from services.curriculum.domain.calendar import TermDates
from services.curriculum.domain.checks import Violations


def check_lesson(day: date, starts_at: time, ends_at: time, term: TermDates, v: Violations) -> None:
    if not term.contains(day):
        v.add("date", f"{day} lies outside term {term.number} ({term.starts_on}..{term.ends_on})")
    if ends_at <= starts_at:
        v.add("ends_at", "must be after starts_at")


def overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end
