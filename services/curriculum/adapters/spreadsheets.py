"""Reading an uploaded CSV or XLSX file into sheets of text cells, row numbers as the user sees them.

XLSX through openpyxl in read-only mode (streamed, so a 60,000-row sheet does not sit in memory as
cell objects); CSV as UTF-8 (with or without BOM), comma, semicolon or tab separated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time


class UnreadableFile(ValueError):
    """The file cannot be read at all; `code` names the problem for a localized message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Sheet:
    name: str
    header: list[str]
    # (row number as shown by a spreadsheet program, the cells as text)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(content: bytes, name: str) -> list[Sheet]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("not_utf8", f"byte {error.start}") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = iter(reader)
    header = [h.strip() for h in next(rows, [])]
    if not any(header):
        raise UnreadableFile("empty_file")
    sheet = Sheet(name, header)
    for number, cells in enumerate(rows, start=2):
        values = [c.strip() for c in cells]
        if any(values):
            sheet.rows.append((number, values))
    return [sheet]


def read_xlsx(content: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile("not_xlsx", type(error).__name__) from None
    sheets: list[Sheet] = []
    try:
        for worksheet in workbook.worksheets:
            rows: Iterator[tuple[object, ...]] = worksheet.iter_rows(values_only=True)
            header = [cell_text(v) for v in next(rows, ())]
            if not any(header):
                continue
            sheet = Sheet(worksheet.title, header)
            for number, values in enumerate(rows, start=2):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    sheet.rows.append((number, cells))
            sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets:
        raise UnreadableFile("empty_file")
    return sheets


def read_file(content: bytes, file_name: str, file_format: str = "") -> list[Sheet]:
    fmt = file_format or ("xlsx" if file_name.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx":
        return read_xlsx(content)
    if fmt == "csv":
        return read_csv(content, file_name.rsplit("/", 1)[-1] or "csv")
    raise UnreadableFile("unknown_format", fmt)
