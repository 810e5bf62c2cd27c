"""Columns of an import sheet and typed reading of its cells; every problem becomes an Issue with the
sheet, row and column the user sees, and reading goes on so that all problems are reported at once."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time

from services.curriculum.domain.imports.messages import Issue

TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    required: bool = True

    def matches(self, header: str) -> bool:
        name = header.strip().lower()
        return name == self.key or name in self.aliases


class Row:
    def __init__(self, reader: SheetReader, number: int, cells: list[str]) -> None:
        self.reader, self.number, self.cells = reader, number, cells

    def has(self, key: str) -> bool:
        return bool(self.raw(key))

    def raw(self, key: str) -> str:
        index = self.reader.index.get(key)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def issue(self, key: str, code: str, **params: str) -> None:
        self.reader.issues.append(
            Issue(self.reader.sheet, self.number, self.reader.header_of(key), code, params)
        )

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw(key)
        if not value and required:
            self.issue(key, "required")
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.text(key, required=required)
        if not value:
            return None
        dotted = DOTTED_DATE.match(value)
        try:
            if dotted:
                return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
            return date.fromisoformat(value[:10])
        except ValueError:
            self.issue(key, "bad_date", value=value)
            return None

    def time_of_day(self, key: str, *, required: bool = True) -> time | None:
        value = self.text(key, required=required)
        if not value:
            return None
        found = TIME.match(value)
        if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
            self.issue(key, "bad_time", value=value)
            return None
        return time(int(found.group(1)), int(found.group(2)))

    def integer(self, key: str, low: int, high: int, *, required: bool = True, default: int = 0) -> int:
        value = self.text(key, required=required)
        if not value:
            return default
        try:
            number = int(float(value.replace(",", ".")))
        except ValueError:
            self.issue(key, "bad_number", value=value)
            return default
        if not low <= number <= high:
            self.issue(key, "bad_number", value=value)
            return default
        return number

    def uuid(self, key: str) -> uuid.UUID | None:
        value = self.raw(key)
        try:
            return uuid.UUID(value)
        except ValueError:
            self.issue(key, "bad_id", value=value)
            return None

    def choice(self, key: str, aliases: dict[str, tuple[str, ...]], code: str) -> str | None:
        value = self.text(key)
        if not value:
            return None
        lowered = value.lower()
        for name, names in aliases.items():
            if lowered == name or lowered in names:
                return name
        self.issue(key, code, value=value, allowed=", ".join(aliases))
        return None


class SheetReader:
    """Maps a sheet's header to column keys; a missing required column is one issue on row 1."""

    def __init__(
        self, sheet: str, header: Sequence[str], columns: Sequence[Column], issues: list[Issue]
    ) -> None:
        self.sheet, self.header, self.issues = sheet, list(header), issues
        self.index: dict[str, int] = {}
        for position, name in enumerate(header):
            for column in columns:
                if column.key not in self.index and column.matches(name):
                    self.index[column.key] = position
        for column in columns:
            if column.required and column.key not in self.index:
                issues.append(
                    Issue(
                        sheet,
                        1,
                        column.key,
                        "missing_column",
                        {"value": column.aliases[0] if column.aliases else column.key},
                    )
                )

    @property
    def complete(self) -> bool:
        return not any(i.code == "missing_column" and i.sheet == self.sheet for i in self.issues)

    def header_of(self, key: str) -> str:
        index = self.index.get(key)
        return self.header[index] if index is not None else key

    def rows(self, rows: Sequence[tuple[int, list[str]]]) -> Iterator[Row]:
        for number, cells in rows:
            yield Row(self, number, cells)


LESSON_TYPES: dict[str, tuple[str, ...]] = {
    "lecture": ("лекция", "дәріс", "лекциялар", "лек"),
    "practical": ("практическое", "практика", "практическое занятие", "практикалық", "практикалык", "пр"),
    "seminar": ("семинар",),
    "laboratory": ("лабораторная", "лабораторное", "зертханалық", "лабораториялык", "лаб"),
    "clinical": ("клиническое", "клиническое занятие", "клиникалық", "клиникалык"),
    "self_study": ("срс", "бөж", "сөж", "өз алдынча иш", "self-study"),
}

CONTROL_KINDS: dict[str, tuple[str, ...]] = {
    "current": ("текущий контроль", "ағымдағы бақылау", "учурдагы көзөмөл", "тк", "current control"),
    "midterm": ("рубежный контроль", "аралық бақылау", "аралык көзөмөл", "рк", "midterm control"),
    "intermediate_attestation": (
        "промежуточная аттестация", "аралық аттестаттау", "аралык аттестация", "экзамен", "емтихан",
    ),
    "final_attestation": ("итоговая аттестация", "қорытынды аттестаттау", "жыйынтыктоочу аттестация"),
}  # fmt: skip

KINDS: dict[str, tuple[str, ...]] = {
    "discipline": ("д", "п", "дисциплина", "пән", "сабак"),
    "integrated_discipline": ("ид", "ип", "интегрированная дисциплина", "интеграцияланған пән"),
    "block": ("б", "блок"),
    "module": ("м", "модуль"),
    "modular_discipline": ("мд", "модульная дисциплина", "модульдік пән", "модулдук сабак"),
}


def col(key: str, *aliases: str, required: bool = True) -> Column:
    return Column(key, tuple(a.lower() for a in aliases), required)


GROUP = col("group", "группа", "топ", "тайпа")
SUBGROUP = col("subgroup", "подгруппа", "топша", required=False)
COURSE_UNIT = col("course_unit", "дисциплина", "код дисциплины", "пән", "пән коды")
LESSON_TYPE = col("lesson_type", "вид занятия", "сабақ түрі", "сабактын түрү")
TEACHER_LOGIN = col(
    "teacher_login", "логин преподавателя", "оқытушы логині", "окутуучунун логини", required=False
)
TEACHER_ID = col("teacher_id", required=False)
STUDENT_LOGIN = col("student_login", "логин студента", "студент логині", "студенттин логини", required=False)
STUDENT_ID = col("student_id", required=False)
