"""The pure batch planner marks and attendance share: refusals and the plan against stored cells."""

from __future__ import annotations

import pytest

from services.gradebook.domain.cell_batch import Cell, ColumnFacts, plan, refusals

pytestmark = pytest.mark.unit

COLUMNS = {
    "c1": ColumnFacts("lesson", "s1", None, False),
    "c2": ColumnFacts("control", "s2", "midterm", False),
    "gone": ColumnFacts("lesson", "s1", None, True),
}


def test_every_refused_cell_is_named_at_once_and_the_touched_sections_collected() -> None:
    cells = [Cell("c1", "a"), Cell("x", "a"), Cell("gone", "a"), Cell("c2", "z"), Cell("c1", "a")]
    found = refusals(cells, COLUMNS, {"a", "b"})
    assert found.violations == [
        ("cells[1].column_id", "is not a column of this journal"),
        ("cells[2].column_id", "the lesson was cancelled"),
        ("cells[3].student_id", "is not on this journal's roster"),
        ("cells[4]", "the same cell appears twice in this call"),
    ]
    assert found.sections == {"s1", "s2"}


def test_the_plan_separates_stale_changed_and_unchanged_cells() -> None:
    cells = [Cell("c1", "a"), Cell("c1", "b"), Cell("c2", "a"), Cell("c2", "b")]
    stored = {("c1", "a"): ("5", 2), ("c1", "b"): ("4", 1), ("c2", "a"): ("3", 1)}
    batch = plan(cells, ["5", "5", "3", "2"], [2, None, 7, None], stored)
    assert batch.stale == [2]  # expected 7, stored 1
    assert batch.changed == [1, 3]  # 4 -> 5, empty -> 2 (the same value at c1/a is no change)
    assert [c.version for c in batch.current] == [2, 1, 1, 0]
    assert batch.current[3].value is None
