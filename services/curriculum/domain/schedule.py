"""The schedule: a lesson lies inside its course unit's term and takes a positive span of time; no
teacher, group, subgroup or classroom is booked twice at the same time."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Booking:
    """A lesson as the schedule books it: who teaches whom, where, when."""

    lesson_id: str
    course_unit_id: str
    group_id: str
    subgroup_id: str | None  # None: the whole group
    lesson_type: str
    day: date
    starts_at: time
    ends_at: time
    teacher_id: str
    classroom_id: str | None

    def describe(self) -> str:
        return (
            f"lesson {self.lesson_id} ({self.lesson_type}, {self.day} "
            f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M})"
        )


def is_stream_lecture(a: Booking, b: Booking) -> bool:
    """One teacher teaching one unit's lesson type to several groups at once in one hall: one event."""
    return (
        a.teacher_id == b.teacher_id
        and a.course_unit_id == b.course_unit_id
        and a.lesson_type == b.lesson_type
        and a.group_id != b.group_id
    )


def double_booked(new: Booking, other: Booking, *, substitution: bool = False) -> str | None:
    """The field of `new` that `other` books at the same time ("teacher_id", "group_id",
    "subgroup_id", "classroom_id"), or None. A substitution (KZ-07, KG-07: the department appointed
    this teacher in someone's place) is the explicit exception for the teacher, never for the students
    or the room; a stream lecture shares its teacher and hall by definition."""
    if new.lesson_id == other.lesson_id or new.day != other.day:
        return None
    if not overlaps(new.starts_at, new.ends_at, other.starts_at, other.ends_at):
        return None
    stream = is_stream_lecture(new, other)
    if new.group_id == other.group_id:
        if new.subgroup_id is None or other.subgroup_id is None:
            return "group_id"
        if new.subgroup_id == other.subgroup_id:
            return "subgroup_id"
    if new.teacher_id == other.teacher_id and not stream and not substitution:
        return "teacher_id"
    if new.classroom_id is not None and new.classroom_id == other.classroom_id and not stream:
        return "classroom_id"
    return None


CONFLICT_NAMES = {
    "teacher_id": "the teacher",
    "group_id": "the group",
    "subgroup_id": "the subgroup",
    "classroom_id": "the classroom",
}


def conflict_message(field: str, new: Booking, other: Booking) -> str:
    return f"{CONFLICT_NAMES[field]} is double-booked: {new.describe()} and {other.describe()}"
