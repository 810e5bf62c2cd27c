"""The queries of totals: integrated exams, a student's journals, a course unit's scope."""

from __future__ import annotations

from sqlalchemy import text

EXAMS = text(
    """
    SELECT j.course_unit_id, j.lesson_type, m.student_id, m.value
    FROM journals j
    JOIN columns c ON c.journal_id = j.journal_id AND c.control_kind = 'intermediate_attestation'
    JOIN control_events ce ON ce.control_event_id = c.column_id
    JOIN marks m ON m.journal_id = j.journal_id AND m.term_id = j.term_id AND m.column_id = c.column_id
        AND m.value IS NOT NULL
    WHERE j.group_id = :group AND ce.course_unit_id = ANY(:units)
    """
)

STUDENT_JOURNALS = text(
    """
    SELECT DISTINCT j.journal_id FROM journals j JOIN enrollments e ON e.group_id = j.group_id
    WHERE e.student_id = :s AND (j.subgroup_id IS NULL OR j.subgroup_id = e.subgroup_id)
      AND (CAST(:term AS uuid) IS NULL OR j.term_id = :term)
    ORDER BY j.journal_id
    """
)

GROUP_STUDENTS = text("SELECT DISTINCT student_id FROM enrollments WHERE group_id = :g AND until IS NULL")

UNIT_TEACHERS = text(
    "SELECT DISTINCT t.teacher_id FROM journal_teachers t "
    "JOIN journals j ON j.journal_id = t.journal_id "
    "WHERE t.active AND j.group_id = :g AND j.course_unit_id = :u"
)

STUDENT_ATTENDANCE = text(
    "SELECT column_id, status FROM attendance WHERE journal_id = :j AND student_id = :s "
    "AND term_id = (SELECT term_id FROM journals WHERE journal_id = :j)"
)
