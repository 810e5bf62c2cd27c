"""What the projections of curriculum's events read besides their own rows: a journal's active teachers."""

from __future__ import annotations

from sqlalchemy import text

JOURNAL_TEACHERS = text("SELECT DISTINCT teacher_id FROM journal_teachers WHERE journal_id = :j AND active")
