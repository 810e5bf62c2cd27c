"""Read-model queries behind the filling and attendance figures: one row per held lesson of a journal
(with its expected students and entries), and one row per student and held lesson (present or not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters.tenancy import WITHIN_SQL
from services.reporting.domain.attendance import Presence
from services.reporting.domain.filling import LessonFilling
from services.reporting.domain.local_time import local_day
from services.reporting.domain.marks import read_mark


@dataclass(frozen=True)
class Scope:
    """Which journals a figure covers; empty fields do not restrict."""

    term_id: str = ""
    faculty_id: str = ""
    department_id: str = ""
    group_id: str = ""
    teacher_id: str = ""
    course_unit_id: str = ""
    # The caller's grants' structure units: only their universities' journals (adapters/tenancy.py);
    # None: every university's (a service identity). Set by service_layer.reports.common.authorize_scope.
    units: tuple[str, ...] | None = None

    def sql(self, alias: str = "j") -> tuple[str, dict[str, Any]]:
        parts, params = ["NOT {a}.archived"], dict[str, Any]()
        if self.units is not None:
            parts.append(WITHIN_SQL)
            params["caller_units"] = list(self.units)
        for name in ("term_id", "faculty_id", "department_id", "group_id", "course_unit_id"):
            value = getattr(self, name)
            if value:
                parts.append(f"{{a}}.{name} = :{name}")
                params[name] = value
        if self.teacher_id:
            parts.append(":teacher_id = ANY({a}.teacher_ids)")
            params["teacher_id"] = self.teacher_id
        return " AND ".join(parts).format(a=alias), params


HELD_LESSONS = """
SELECT j.journal_id, j.course_unit_id, j.group_id, j.subgroup_id, j.department_id, j.faculty_id,
       j.profile_code, l.lesson_id, l.lesson_date, l.starts_at, l.ends_at,
       COALESCE(NULLIF(l.teacher_id, ''), j.teacher_ids[1], '') AS teacher_id
FROM rm_journal j
JOIN rm_lesson l ON l.course_unit_id = j.course_unit_id AND l.group_id = j.group_id
     AND l.lesson_type = j.lesson_type AND (j.subgroup_id = '' OR l.subgroup_id = j.subgroup_id)
     AND (l.term_id = '' OR j.term_id = '' OR l.term_id = j.term_id)
WHERE {scope} AND NOT l.cancelled AND l.lesson_date BETWEEN :start AND :end
"""

FILLING = f"""
WITH held AS ({HELD_LESSONS}),
entry AS (
    SELECT journal_id, column_id AS lesson_id, student_id, first_recorded_at FROM rm_mark WHERE value <> ''
    UNION ALL
    SELECT journal_id, lesson_id, student_id, first_recorded_at FROM rm_attendance
),
roster AS (
    SELECT group_id, subgroup_id, count(*) AS students FROM rm_enrollment WHERE active
    GROUP BY group_id, subgroup_id
)
SELECT h.journal_id, h.course_unit_id, h.group_id, h.department_id, h.faculty_id, h.profile_code,
       h.lesson_id, h.lesson_date, h.teacher_id,
       COALESCE((SELECT sum(r.students) FROM roster r WHERE r.group_id = h.group_id
                 AND (h.subgroup_id = '' OR r.subgroup_id = h.subgroup_id)), 0) AS students,
       count(DISTINCT e.student_id) AS entries, min(e.first_recorded_at) AS first_at
FROM held h LEFT JOIN entry e ON e.journal_id = h.journal_id AND e.lesson_id = h.lesson_id
GROUP BY h.journal_id, h.course_unit_id, h.group_id, h.subgroup_id, h.department_id, h.faculty_id,
         h.profile_code, h.lesson_id, h.lesson_date, h.teacher_id
"""


async def lesson_filling(session: AsyncSession, scope: Scope, start: date, end: date) -> list[LessonFilling]:
    """Held lessons of [start, end]; the caller passes end <= today for lessons that took place."""
    where, params = scope.sql()
    rows = (
        await session.execute(text(FILLING.format(scope=where)), {**params, "start": start, "end": end})
    ).all()
    return [
        LessonFilling(
            lesson_id=row.lesson_id,
            lesson_date=row.lesson_date,
            course_unit_id=row.course_unit_id,
            group_id=row.group_id,
            teacher_id=row.teacher_id,
            department_id=row.department_id,
            faculty_id=row.faculty_id,
            students=int(row.students),
            entries=int(row.entries),
            first_entry_on=local_day(row.first_at, row.profile_code),
        )
        for row in rows
    ]


PRESENCE = f"""
WITH held AS ({HELD_LESSONS})
SELECT h.journal_id, h.lesson_id, h.lesson_date, h.starts_at, h.ends_at, h.group_id, h.course_unit_id,
       h.department_id, h.faculty_id, h.profile_code, en.student_id, a.status, m.value
FROM held h
JOIN rm_enrollment en ON en.active AND en.group_id = h.group_id
     AND (h.subgroup_id = '' OR en.subgroup_id = h.subgroup_id)
LEFT JOIN rm_attendance a ON a.journal_id = h.journal_id AND a.lesson_id = h.lesson_id
     AND a.student_id = en.student_id
LEFT JOIN rm_mark m ON m.journal_id = h.journal_id AND m.column_id = h.lesson_id
     AND m.student_id = en.student_id
WHERE a.status IS NOT NULL OR (m.value IS NOT NULL AND m.value <> '')
"""


def _hours(starts_at: str, ends_at: str) -> Decimal:
    """Academic hours of a lesson (45 minutes each); 2 when the schedule does not say."""
    try:
        sh, sm = (int(x) for x in starts_at.split(":"))
        eh, em = (int(x) for x in ends_at.split(":"))
    except ValueError:
        return Decimal(2)
    minutes = (eh * 60 + em) - (sh * 60 + sm)
    return (Decimal(minutes) / 45).quantize(Decimal("0.1")) if minutes > 0 else Decimal(2)


def _present(status: str | None, mark: str | None, profile_code: str) -> bool:
    """Attendance records decide; without one, a mark meaning "absent" (н/б, нб) says absent."""
    if status:
        return status in ("present", "late")
    return not read_mark(profile_code, mark or "").is_absence


async def presence(session: AsyncSession, scope: Scope, start: date, end: date) -> list[Presence]:
    """Every (student, held lesson) the journal says something about; "excused" counts as absent
    for the attendance rate (the student was not there) — the report shows excused separately."""
    where, params = scope.sql()
    rows = (
        await session.execute(text(PRESENCE.format(scope=where)), {**params, "start": start, "end": end})
    ).all()
    return [
        Presence(
            student_id=row.student_id,
            group_id=row.group_id,
            lesson_id=row.lesson_id,
            lesson_date=row.lesson_date,
            present=_present(row.status, row.value, row.profile_code),
            hours=_hours(row.starts_at, row.ends_at),
            course_unit_id=row.course_unit_id,
            department_id=row.department_id,
            faculty_id=row.faculty_id,
        )
        for row in rows
    ]
