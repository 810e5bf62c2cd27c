"""Calendar-thematic plans (KZ-17 form 1): numbered lessons with date, time, topic, hours, teacher and
room, approved at a department meeting (protocol number and date), uploaded before the year starts by
people the department head appoints (KZ-15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from services.curriculum.domain.calendar import TermDates
from services.curriculum.domain.checks import Violations


@dataclass(frozen=True)
class PlanItem:
    number: int
    day: date
    starts_at: time
    ends_at: time | None
    topic: str
    hours: int
    teacher_id: str
    classroom_id: str | None


def check_plan(
    items: list[PlanItem], term: TermDates, protocol_number: str, protocol_date: date | None, v: Violations
) -> None:
    if not protocol_number.strip():
        v.add("protocol_number", "the plan must be approved at a department meeting (protocol number)")
    if not items:
        v.add("items", "a plan lists at least one lesson")
    numbers = [item.number for item in items]
    if sorted(numbers) != list(range(1, len(items) + 1)):
        v.add("items", f"lessons must be numbered 1..{len(items)} without gaps or repeats")
    for i, item in enumerate(items):
        if not term.contains(item.day):
            v.add(
                f"items[{i}].date",
                f"{item.day} lies outside term {term.number} ({term.starts_on}..{term.ends_on})",
            )
        if item.ends_at is not None and item.ends_at <= item.starts_at:
            v.add(f"items[{i}].ends_at", "must be after starts_at")
        if not 1 <= item.hours <= 12:
            v.add(f"items[{i}].hours", "must be between 1 and 12")
        if not item.topic.strip():
            v.add(f"items[{i}].topic", "is required")
        if not item.teacher_id:
            v.add(f"items[{i}].teacher_id", "is required")
    if protocol_date is not None and items and protocol_date > max(item.day for item in items):
        v.add("protocol_date", "the plan is approved after its last lesson")


def plan_is_late(uploaded_on: date, year_starts_on: date) -> bool:
    """KZ-15: plans are uploaded before the academic year starts."""
    return uploaded_on >= year_starts_on
