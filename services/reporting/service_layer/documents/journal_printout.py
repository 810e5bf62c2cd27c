"""The end-of-semester printout of a journal, to be signed by its teachers and archived (KG-12).

The grid (students x lessons, then the control columns) is cut into landscape tables of at most
LESSONS_PER_TABLE lessons. The printout carries the SHA-256 of its content, so the signed paper in
the archive can be matched to the electronic journal it was printed from.
"""

from __future__ import annotations

import hashlib
import json

from services.reporting.adapters.queries_documents import JournalGrid
from services.reporting.domain.layout import Column, Layout, Signature, Table
from services.reporting.domain.marks import read_mark
from services.reporting.service_layer.documents.labels import label, university_heading
from services.reporting.service_layer.documents.names import Names
from services.reporting.service_layer.documents.words import control_kind, lesson_type

LESSONS_PER_TABLE = 16


def printout_hash(grid: JournalGrid, printed: dict[str, object] | None = None) -> str:
    """SHA-256 of the journal's content and of the names and titles the printout shows (`printed`),
    so a name on the paper is as bound to the hash as a mark."""
    content = {
        "printed": printed or {},
        "journal_id": grid.journal.journal_id,
        "lessons": [row.lesson_id for row in grid.lessons],
        "sections": [row.section for row in grid.sections],
        "marks": sorted([c, s, v] for (c, s), v in grid.marks.items()),
        "attendance": sorted([c, s, v] for (c, s), v in grid.attendance.items()),
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def _cell(grid: JournalGrid, column: str, student: str) -> str:
    value = grid.marks.get((column, student), "")
    if not value and grid.attendance.get((column, student)) == "absent":
        return "—"
    return value


def journal_printout_layout(grid: JournalGrid, names: Names, unit_title: str, term_title: str) -> Layout:
    j = grid.journal
    p = j.profile_code
    students = sorted(grid.students, key=lambda s: (names(s).casefold(), s))
    tables = []
    chunks = [grid.lessons[i : i + LESSONS_PER_TABLE] for i in range(0, len(grid.lessons), LESSONS_PER_TABLE)]
    for index, chunk in enumerate(chunks or [[]], start=1):
        columns = [Column(label("no", p), 0.7, "R"), Column(label("student", p), 5.0)]
        columns += [
            Column(row.lesson_date.strftime("%d.%m") if row.lesson_date else "?", 1.0, "C") for row in chunk
        ]
        rows = tuple(
            (str(n), names(s), *(_cell(grid, row.lesson_id, s) for row in chunk))
            for n, s in enumerate(students, 1)
        )
        tables.append(Table(tuple(columns), rows, caption=f"{index}/{len(chunks) or 1}"))
    control_columns = [Column(label("no", p), 0.7, "R"), Column(label("student", p), 5.0)]
    control_columns += [Column(control_kind(row.control_kind, p), 2.0, "C") for row in grid.sections]
    control_columns.append(Column(label("absent_count", p), 1.2, "C"))
    control_rows = []
    for n, student in enumerate(students, 1):
        absences = sum(
            1
            for row in grid.lessons
            if grid.attendance.get((row.lesson_id, student)) == "absent"
            or read_mark(p, grid.marks.get((row.lesson_id, student), "")).is_absence
        )
        values = [grid.marks.get((row.section, student), "") for row in grid.sections]
        control_rows.append((str(n), names(student), *values, str(absences)))
    tables.append(Table(tuple(control_columns), tuple(control_rows), caption=label("final", p)))
    teachers = tuple(Signature(label("teacher", p), names(t)) for t in j.teacher_ids) or (
        Signature(label("teacher", p), ""),
    )
    subgroup = names(j.subgroup_id)
    group = names(j.group_id) + (f" / {subgroup}" if subgroup else "")
    printed: dict[str, object] = {
        "discipline": unit_title or j.title,
        "group": group,
        "term": term_title,
        "students": [[s, names(s)] for s in students],
        "teachers": [[t, names(t)] for t in j.teacher_ids],
    }
    return Layout(
        kind="journal_printout",
        title=label("journal_printout", p),
        heading=university_heading(p),
        fields=(
            (label("discipline", p), unit_title or j.title),
            (label("group", p), group),
            (label("lesson_type", p), lesson_type(j.lesson_type, p)),
            (label("term", p), term_title),
        ),
        tables=tuple(tables),
        signatures=(*teachers, Signature(label("head_of_department", p), "")),
        number=f"J-{j.journal_id[:8]}",
        content_hash=printout_hash(grid, printed),
        landscape=True,
    )
