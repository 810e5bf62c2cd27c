"""SQL of closing: whether every student of a journal has a column's score (KG-06)."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

FINAL_SCORES_SET = text(
    """
    SELECT count(*) FILTER (WHERE m.value IS NOT NULL) AS scored, count(*) AS students
    FROM (SELECT DISTINCT student_id FROM enrollments
          WHERE group_id = :g AND until IS NULL AND (CAST(:sg AS uuid) IS NULL OR subgroup_id = :sg)) r
    LEFT JOIN marks m ON m.journal_id = :j
        AND m.term_id = (SELECT term_id FROM journals WHERE journal_id = :j) AND m.column_id = :c
        AND m.student_id = r.student_id
    """
)


async def everyone_scored(
    session: AsyncSession,
    journal_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    column_id: uuid.UUID,
) -> bool:
    """Every student on the journal's roster has a value in the column (and the roster is not empty)."""
    counts = (
        await session.execute(
            FINAL_SCORES_SET, {"g": group_id, "sg": subgroup_id, "j": journal_id, "c": column_id}
        )
    ).one()
    return bool(counts.students) and counts.scored >= counts.students
