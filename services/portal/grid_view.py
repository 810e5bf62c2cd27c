"""The journal grid as the page shows it: the API's grid answer arranged as rows of students and
columns of lessons and control events, each cell with its value, version and whether it may be typed
into. Presentation only: what is closed, and what the scale allows, is the API's answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Column:
    column_id: str
    day: str  # dd.mm
    date: str
    kind: str  # lesson or control
    control_kind: str
    topic: str
    number: int
    section: str
    closed: bool


@dataclass(frozen=True)
class Cell:
    value: str
    version: int
    attendance: str  # present, absent, late, excused or ""


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str
    cells: list[Cell]


@dataclass(frozen=True)
class GridView:
    journal: dict[str, Any]
    columns: list[Column]
    rows: list[Row]
    closed_sections: list[dict[str, Any]]
    open_sections: list[dict[str, Any]]

    @property
    def editable(self) -> bool:
        return any(not c.closed for c in self.columns)


def short_day(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d.%m")
    except ValueError:
        return iso


def grid_view(grid: dict[str, Any]) -> GridView:
    journal = grid.get("journal", {})
    sections = journal.get("sections", [])
    locked = bool(journal.get("locked_at"))
    # A section open again for this teacher under a reopen grant is typed into like an open one.
    closed = {s["section"] for s in sections if s.get("closed_at") and not s.get("open_reopen_case_id")}
    columns = [
        Column(
            column_id=c["column_id"],
            day=short_day(c.get("date", "")),
            date=c.get("date", ""),
            kind=c.get("kind", ""),
            control_kind=c.get("control_kind", ""),
            topic=c.get("topic", ""),
            number=int(c.get("number", 0) or 0),
            section=c.get("section", ""),
            closed=locked or c.get("section", "") in closed,
        )
        for c in grid.get("columns", [])
    ]
    marks = {(m["column_id"], m["student_id"]): m for m in grid.get("cells", [])}
    presence = {(a["column_id"], a["student_id"]): a.get("status", "") for a in grid.get("attendance", [])}
    rows = []
    for student in sorted(
        grid.get("students", []), key=lambda s: (s.get("student_name") or "", s["student_id"])
    ):
        sid = student["student_id"]
        cells = []
        for column in columns:
            mark = marks.get((column.column_id, sid), {})
            cells.append(
                Cell(str(mark.get("value", "")), int(mark.get("version", 0) or 0),
                     presence.get((column.column_id, sid), ""))
            )  # fmt: skip
        rows.append(Row(sid, student.get("student_name") or sid[:8], cells))
    return GridView(
        journal=journal,
        columns=columns,
        rows=rows,
        closed_sections=[s for s in sections if s.get("closed_at")],
        open_sections=[s for s in sections if not s.get("closed_at")],
    )
