"""Planning a batch of cell writes (marks or attendance), pure: which cells are refused, which are
stale, which change and which stay as they are. Marks and attendance both plan with it, so the rules
of a batch (every cell on the roster and in a live column of the journal, no cell twice, a stale
`expected_version` aborts the batch, an unchanged value is no change) are written once.

Ids are text throughout (dict and set lookups on str are what a 2,000-cell batch can afford)."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class ColumnFacts(NamedTuple):
    """What a batch needs to know of a journal's column."""

    kind: str  # lesson, control, self_study
    section_id: str | None
    control_kind: str | None
    cancelled: bool


class Cell(NamedTuple):
    column_id: str  # canonical (lower-case) id text
    student_id: str


@dataclass(frozen=True, slots=True)
class Refusals:
    violations: list[tuple[str, str]]  # (field path, reason), every refused cell at once
    sections: set[str]  # the sections of the columns the batch touches


def refusals(
    cells: Sequence[Cell],
    columns: Mapping[str, ColumnFacts],
    roster: Container[str],
    *,
    path: str = "cells",
    column_field: str = "column_id",
    twice: str = "the same cell appears twice in this call",
    twice_field: str = "",
) -> Refusals:
    """Every cell must sit in a live column of the journal and on its roster, once."""
    violations: list[tuple[str, str]] = []
    sections: set[str] = set()
    seen: set[Cell] = set()
    for index, cell in enumerate(cells):
        column = columns.get(cell.column_id)
        if column is None:
            violations.append((f"{path}[{index}].{column_field}", "is not a column of this journal"))
        elif column.cancelled:
            violations.append((f"{path}[{index}].{column_field}", "the lesson was cancelled"))
        elif column.section_id is not None:
            sections.add(column.section_id)
        if cell.student_id not in roster:
            violations.append((f"{path}[{index}].student_id", "is not on this journal's roster"))
        if cell in seen:
            violations.append((f"{path}[{index}]{twice_field}", twice))
        seen.add(cell)
    return Refusals(violations, sections)


class Current(NamedTuple):
    """A cell as stored: its value (None: empty) and version (0: never written)."""

    value: str | None
    version: int


EMPTY = Current(None, 0)


@dataclass(slots=True)
class Plan:
    """The batch against the stored cells. Indexes refer to the batch's cells, in order."""

    stale: list[int] = field(default_factory=list)  # expected_version differs: the batch aborts
    changed: list[int] = field(default_factory=list)  # cells whose value changes (version + 1)
    current: list[Current] = field(default_factory=list)  # every cell's stored state


def plan(
    cells: Sequence[Cell],
    values: Sequence[str | None],
    expected: Sequence[int | None],
    stored: Mapping[tuple[str, str], tuple[str | None, int]],
) -> Plan:
    """Compare the batch with what is stored: a cell whose expected version is not the stored one is
    stale; a cell whose value differs changes to version + 1; the others stay as stored. `stored` is
    keyed by (column, student) text: a Cell is that tuple."""
    out = Plan()
    for index, cell in enumerate(cells):
        found = stored.get(cell)
        now = EMPTY if found is None else Current(found[0], int(found[1]))
        out.current.append(now)
        wanted = expected[index]
        if wanted is not None and wanted != now.version:
            out.stale.append(index)
        elif values[index] != now.value:
            out.changed.append(index)
    return out
