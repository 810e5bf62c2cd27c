"""The read side's queries: a teacher's journals, a journal's header, current cells, statement scopes."""

from __future__ import annotations

from sqlalchemy import text

# The caller's journals: those they teach, and those of a teacher they substitute for today. Started
# from the caller's own rows (indexed by teacher and by substitute), not from every journal: a
# university has 120,000 journals a year, a teacher a few dozen.
MY_JOURNALS = text(
    """
    SELECT j.journal_id FROM journals j
    WHERE j.journal_id IN (
            SELECT t.journal_id FROM journal_teachers t WHERE t.teacher_id = :me AND t.active
            UNION
            SELECT t.journal_id FROM substitutions s
            JOIN journal_teachers t ON t.teacher_id = s.absent_teacher_id AND t.active
            JOIN journals sj ON sj.journal_id = t.journal_id
            WHERE s.substitute_id = :me AND :today BETWEEN s.starts_on AND s.ends_on
              AND ((cardinality(s.journal_ids) = 0 AND cardinality(s.course_unit_ids) = 0)
                   OR sj.journal_id = ANY(s.journal_ids) OR sj.course_unit_id = ANY(s.course_unit_ids)))
      AND (CAST(:term AS uuid) IS NULL OR j.term_id = :term)
      AND (CAST(:after AS uuid) IS NULL OR j.journal_id > :after)
    ORDER BY j.journal_id
    LIMIT :fetch
    """
)

# Marks and attendance are partitioned by term: the journal's term picks the partition.
TERM_OF_J = "(SELECT term_id FROM journals WHERE journal_id = :j)"
CURRENT_CELLS = text(
    "SELECT 'mark' AS kind, column_id::text, student_id::text, value FROM marks WHERE journal_id = :j "
    f"AND term_id = {TERM_OF_J} "
    "UNION ALL SELECT 'attendance', column_id::text, student_id::text, status FROM attendance "
    f"WHERE journal_id = :j AND term_id = {TERM_OF_J}"
)

# The open reopen cases of a page of journals at once (their headers in a list): ids as an array.
ACTIVE_CASES_OF_JOURNALS = text(
    "SELECT journal_id, section_id, case_id FROM reopen_grants WHERE journal_id = ANY(:j) "
    "AND ended_at IS NULL AND expires_at > :now"
)

FINISHING_DEPARTMENT = text(
    "SELECT coalesce(p.department_id, u.department_id) AS department_id, u.faculty_id, "
    "(SELECT f.parent_id FROM names f WHERE f.name_id = u.faculty_id AND f.kind = 'faculty') "
    "AS university_id "
    "FROM course_units u LEFT JOIN LATERAL (SELECT department_id FROM course_units c "
    "WHERE c.parent_id = u.course_unit_id "
    "ORDER BY c.is_last_part DESC, c.position DESC LIMIT 1) p "
    "ON true WHERE u.course_unit_id = :u"
)
