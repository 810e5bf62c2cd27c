"""Attendance figures (KG-11): per group, per student, per week; absences are marks meaning "absent"
(`н/б`, `нб`) or attendance records saying so (KZ-12: distinct from "present but unprepared")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from services.reporting.domain.figures import rate

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Presence:
    """Whether one student attended one held lesson."""

    student_id: str
    group_id: str
    lesson_id: str
    lesson_date: date
    present: bool
    hours: Decimal  # academic hours of the lesson, for "hours missed"
    course_unit_id: str = ""
    department_id: str = ""
    faculty_id: str = ""


@dataclass(frozen=True)
class AttendanceFigures:
    records: int
    present: int
    absent: int
    hours_missed: Decimal

    @property
    def attendance_rate(self) -> Decimal | None:
        return rate(self.present, self.records)


def attendance(records: Iterable[Presence]) -> AttendanceFigures:
    items = list(records)
    absent = [r for r in items if not r.present]
    return AttendanceFigures(
        records=len(items),
        present=len(items) - len(absent),
        absent=len(absent),
        hours_missed=sum((r.hours for r in absent), Decimal(0)),
    )


def attendance_by(records: Iterable[Presence], key: Callable[[Presence], K]) -> dict[K, AttendanceFigures]:
    groups: dict[K, list[Presence]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {k: attendance(v) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}


def frequent_absentees(
    records: Iterable[Presence], threshold_rate: Decimal = Decimal(80)
) -> list[tuple[str, AttendanceFigures]]:
    """Students whose attendance is below the threshold (%): the curator's list of whom to call."""
    per_student = attendance_by(records, lambda r: r.student_id)
    low = [
        (student, figures)
        for student, figures in per_student.items()
        if figures.attendance_rate is not None and figures.attendance_rate < threshold_rate
    ]
    return sorted(low, key=lambda item: (item[1].attendance_rate or Decimal(0), item[0]))
