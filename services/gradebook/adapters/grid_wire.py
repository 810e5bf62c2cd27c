"""The cells of a grid response, encoded straight to protobuf wire format.

A 30 x 60 grid is 1,800 cells; building a message object per cell costs more than reading them from
PostgreSQL. Each cell is written as its length-delimited field of GetJournalGridResponse from memoized
fragments (a grid repeats 60 column ids and 30 student ids), and the caller merges the bytes into the
response message (parsed in C). tests/unit/test_wire.py checks the bytes parse to the same message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

_RESPONSE = pb.GetJournalGridResponse.DESCRIPTOR.fields_by_name
_MARK = pb.MarkCell.DESCRIPTOR.fields_by_name
_ATTENDANCE = pb.AttendanceCell.DESCRIPTOR.fields_by_name


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


class _Fragments:
    def __init__(self) -> None:
        self._memo: dict[tuple[int, str], bytes] = {}

    def text(self, number: int, value: str | None) -> bytes:
        if not value:
            return b""
        key = (number, value)
        found = self._memo.get(key)
        if found is None:
            data = value.encode()
            found = self._memo[key] = _key(number, 2) + varint(len(data)) + data
        return found


def _number(number: int, value: int) -> bytes:
    return _key(number, 0) + varint(value) if value else b""


class _Memo(dict[object, bytes]):
    """Encoded fragments by value, made on first use: the lookup of a value already seen is one C-level
    dict access (no Python call), which matters at 7,100 cells."""

    def __init__(self, encode: Callable[[object], bytes]) -> None:
        super().__init__()
        self._encode = encode

    def __missing__(self, key: object) -> bytes:
        found = self[key] = self._encode(key)
        return found


# Lengths and versions under 2**14 (a cell's body is ~90 bytes; versions count one cell's changes).
_VARINTS = [varint(n) for n in range(1 << 14)]


def _length(n: int) -> bytes:
    return _VARINTS[n] if n < 1 << 14 else varint(n)


def mark_cells(rows: Iterable[tuple[str, str, str | None, int]], field_number: int | None = None) -> bytes:
    """Repeated MarkCell as field `field_number` (default: GetJournalGridResponse.cells).

    Per cell: four memoized fragments (a grid repeats its 60 column ids, 30 student ids, a scale's
    few values and small versions), their summed length, and one join at the end."""
    f = _Fragments()
    tag = _key(field_number or _RESPONSE["cells"].number, 2)
    c, s, v, n = (_MARK[x].number for x in ("column_id", "student_id", "value", "version"))
    columns = _Memo(lambda value: f.text(c, value))  # type: ignore[arg-type]
    students = _Memo(lambda value: f.text(s, value))  # type: ignore[arg-type]
    values = _Memo(lambda value: f.text(v, value))  # type: ignore[arg-type]
    versions = _Memo(lambda value: _number(n, value))  # type: ignore[arg-type]
    parts: list[bytes] = []
    extend = parts.extend
    for column, student, value, version in rows:
        cf, sf, vf, nf = columns[column], students[student], values[value], versions[version]
        extend((tag, _length(len(cf) + len(sf) + len(vf) + len(nf)), cf, sf, vf, nf))
    return b"".join(parts)


def attendance_cells(rows: Iterable[tuple[str, str, str, int, str, datetime | None]]) -> bytes:
    f = _Fragments()
    tag = _key(_RESPONSE["attendance"].number, 2)
    names = ("column_id", "student_id", "status", "version", "source", "checked_in_at")
    c, s, st, n, src, at = (_ATTENDANCE[x].number for x in names)
    parts = []
    for column, student, status, version, source, checked_in in rows:
        body = (
            f.text(c, column)
            + f.text(s, student)
            + f.text(st, status)
            + _number(n, version)
            + f.text(src, source)
            + f.text(at, checked_in.isoformat() if checked_in else None)
        )
        parts.append(tag + varint(len(body)) + body)
    return b"".join(parts)
