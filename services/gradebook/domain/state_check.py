"""Verification of the state, not only of the chain: every cell's stored value must be what its history
says it became. A change made in SQL without a history row (or a history row without its change) shows
up here even when the hash chain itself is intact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Cell = tuple[str, str, str]  # kind ("mark" or "attendance"), column id, student id


@dataclass(frozen=True)
class CellMismatch:
    kind: str
    column_id: str
    student_id: str
    expected: str | None  # the history's last new value; None: cleared or never written
    stored: str | None


def first_state_mismatch(
    history: Iterable[tuple[str, str, str, str | None]], stored: Iterable[tuple[str, str, str, str | None]]
) -> CellMismatch | None:
    """history: (kind, column, student, new value) in chain order; stored: the cells as they are now.

    Returns the first differing cell in (kind, column, student) order, so the answer is stable."""
    expected: dict[Cell, str | None] = {}
    for kind, column, student, value in history:
        expected[(kind, column, student)] = value
    current = {(kind, column, student): value for kind, column, student, value in stored}
    for cell in sorted(expected.keys() | current.keys()):
        if expected.get(cell) != current.get(cell):
            return CellMismatch(*cell, expected.get(cell), current.get(cell))
    return None
