"""The printable shape of a document, independent of the file format.

Every document reporting produces (statements, the journal printout, the calendar-thematic plan, the
filling-error explanation, the login request, reports) is first built as a `Layout`; the PDF and XLSX
renderers turn one layout into a file, so both formats always say the same thing. A layout that
prints a record (a statement) carries the record's number and content hash, printed on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["L", "C", "R"]


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width; the renderer scales the columns to the page
    align: Align = "L"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row has {len(row)} cells for {len(self.columns)} columns: {row!r}")


@dataclass(frozen=True)
class Signature:
    role: str  # "Преподаватель", "Заведующий кафедрой"...
    name: str  # printed under the line; empty leaves the line blank to fill by hand


@dataclass(frozen=True)
class Layout:
    kind: str  # statement, journal_printout, lesson_plan, filling_error_explanation, login_request, report
    title: str
    heading: tuple[str, ...] = ()  # lines above the title (university, faculty, "addressed to")
    fields: tuple[tuple[str, str], ...] = ()  # label: value pairs under the title
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    signatures: tuple[Signature, ...] = ()
    number: str = ""  # the record's number (statements)
    content_hash: str = ""  # the record's content hash (statements)
    landscape: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)  # small print at the end
    verify_url: str = ""  # the public page that verifies this record (printed as a QR code)
    verify_label: str = ""

    @property
    def identity_line(self) -> str:
        """What every page prints so a printout can be matched to its record."""
        parts = []
        if self.number:
            parts.append(f"№ {self.number}")
        if self.content_hash:
            parts.append(f"SHA-256 {self.content_hash}")
        return " · ".join(parts)
