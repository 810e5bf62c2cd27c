"""What reconciling a journal with curriculum's schedule reads: its control events and lessons."""

from __future__ import annotations

from sqlalchemy import text

CONTROL_EVENTS_OF_JOURNAL = text(
    """
    SELECT ce.* FROM control_events ce
    WHERE ce.group_id = :group_id
      AND (ce.subgroup_id IS NULL OR ce.subgroup_id IS NOT DISTINCT FROM :subgroup_id)
      AND (ce.course_unit_id = :course_unit_id
           OR ce.course_unit_id = (SELECT cu.parent_id FROM course_units cu
                                   WHERE cu.course_unit_id = :course_unit_id AND cu.kind = 'block'
                                     AND cu.is_last_part))
    """
)

LESSONS_OF_JOURNAL = text(
    """
    SELECT l.* FROM lessons l
    WHERE l.course_unit_id = :course_unit_id AND l.group_id = :group_id
      AND l.subgroup_id IS NOT DISTINCT FROM :subgroup_id AND l.lesson_type = :lesson_type
    """
)

ACTIVE_TEACHERS = text("SELECT teacher_id FROM journal_teachers WHERE journal_id = :j AND active")
