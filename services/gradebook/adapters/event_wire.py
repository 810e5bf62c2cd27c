"""MarkRecorded payloads for a batch, encoded without building a message per cell.

Protobuf's wire format lets serialized fragments of one message type be concatenated (a parser merges
them), so a batch serializes the fields it shares once and appends each cell's own fields, encoded here
as length-delimited strings and varints. The result parses to exactly the message the slow path builds
(tests/unit/test_event_wire.py checks it); this is what keeps thousands of events per call cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ejournal.gradebook.v1 import events_pb2 as ev

_F = ev.MarkRecorded.DESCRIPTOR.fields_by_name


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _text(field: str, value: str) -> bytes:
    if not value:
        return b""  # proto3 leaves empty strings out
    data = value.encode()
    return _varint(_F[field].number << 3 | 2) + _varint(len(data)) + data


def _number(field: str, value: int) -> bytes:
    return _varint(_F[field].number << 3) + _varint(value) if value else b""


class MarkRecordedBatch:
    def __init__(self, shared: ev.MarkRecorded) -> None:
        self._prefix = shared.SerializeToString(deterministic=True)
        self._memo: dict[tuple[str, str], bytes] = {}

    def _cached(self, field: str, value: str) -> bytes:
        key = (field, value)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = _text(field, value)
        return found

    def payload(
        self,
        column_id: str,
        student_id: str,
        value: str,
        previous: str,
        version: int,
        section: str,
        column_kind: str,
    ) -> bytes:
        return b"".join(
            (
                self._prefix,
                self._cached("lesson_id", column_id),
                self._cached("student_id", student_id),
                self._cached("value", value),
                self._cached("previous_value", previous),
                _number("version", version),
                self._cached("section", section),
                self._cached("column_kind", column_kind),
            )
        )


def mark_recorded_payloads(
    shared: ev.MarkRecorded,
    columns: Mapping[str, tuple[str, str | None, str | None, bool]],
    column_ids: Sequence[str],
    student_ids: Sequence[str],
    olds: Sequence[str | None],
    news: Sequence[str | None],
    versions: Sequence[int],
) -> list[bytes]:
    """One MarkRecorded per changed cell, wire-encoded from the batch's shared fields (`shared`) and
    each cell's own; columns: id -> (kind, section, control kind, cancelled)."""
    batch = MarkRecordedBatch(shared)
    payloads = []
    for column_id, student, old, new, version in zip(
        column_ids, student_ids, olds, news, versions, strict=True
    ):
        kind, section, _control, _cancelled = columns[column_id]
        payloads.append(batch.payload(column_id, student, new or "", old or "", version, section or "", kind))
    return payloads
