"""XLSX rendering of a Layout with openpyxl: the same content as the PDF, one sheet, the record's
number and content hash in the header rows and in the workbook's properties."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.domain.layout import Layout

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")


def render_xlsx(layout: Layout) -> bytes:
    return render_xlsx_many([layout])


def render_xlsx_many(layouts: Sequence[Layout], on_each: Callable[[int], None] | None = None) -> bytes:
    """One sheet per document (named by its number, or its kind)."""
    if not layouts:
        raise ValueError("nothing to print")
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    book.properties.title = layouts[0].title
    book.properties.creator = "ejournal reporting"
    if len(layouts) == 1 and layouts[0].identity_line:
        book.properties.subject = layouts[0].identity_line
        book.properties.identifier = layouts[0].content_hash or layouts[0].number
    used: set[str] = set()
    for index, layout in enumerate(layouts, start=1):
        name = re.sub(r"[\[\]:*?/\\]", "-", layout.number or layout.kind)[:28]
        while name in used:
            name = f"{name[:24]}-{index}"
        used.add(name)
        _sheet(book.create_sheet(name), layout)
        if on_each is not None:
            on_each(index)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Worksheet, layout: Layout) -> None:
    widest = max((len(t.columns) for t in layout.tables), default=2)
    for line in layout.heading:
        sheet.append([line])
    sheet.append([layout.title])
    title_cell = sheet.cell(row=sheet.max_row, column=1)
    title_cell.font = TITLE
    if layout.identity_line:
        sheet.append([layout.identity_line])
    for label, value in layout.fields:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    for paragraph in layout.paragraphs:
        sheet.append([paragraph])
    for table in layout.tables:
        sheet.append([])
        if table.caption:
            sheet.append([table.caption])
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.append([c.title for c in table.columns])
        for index in range(1, len(table.columns) + 1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.font, cell.fill = BOLD, HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append(list(row))
    if layout.signatures:
        sheet.append([])
        for signature in layout.signatures:
            sheet.append([signature.role, "", signature.name])
    for note in layout.notes:
        sheet.append([note])
    for index in range(1, widest + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24 if index <= 2 else 14
