"""The grid's cells as JSON (GetJournalGridRequest.cells_as_json) are exactly what the gateway printed
from the cells as messages: protobuf's JSON mapping of each MarkCell and AttendanceCell, every field,
64-bit versions as strings, an absent text as "" (the public reply's shape does not change)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import orjson
import pytest
from google.protobuf.json_format import MessageToDict

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.adapters import grid_json, grid_wire
from services.gradebook.adapters.grid_sql import AttendanceRow, MarkRow

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 23, 10, 30, 0, 123456, tzinfo=UTC)


def printed(message: pb.GetJournalGridResponse, field: str) -> object:
    whole = MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return whole[field]


def test_mark_cells_as_json_are_the_messages_json() -> None:
    column, student = str(uuid.uuid4()), str(uuid.uuid4())
    rows: list[MarkRow] = [
        (column, student, "5", 1),
        (column, str(uuid.uuid4()), None, 7),  # no value: printed as ""
        (str(uuid.uuid4()), student, 'н/б "қате"\\\n✓', 2**40),  # escapes, Cyrillic, a 64-bit version
        (column, student, "", 0),
    ]
    as_messages = pb.GetJournalGridResponse()
    as_messages.MergeFromString(grid_wire.mark_cells(rows))
    assert orjson.loads(grid_json.mark_cells(rows)) == printed(as_messages, "cells")


def test_attendance_cells_as_json_are_the_messages_json() -> None:
    rows: list[AttendanceRow] = [
        (str(uuid.uuid4()), str(uuid.uuid4()), "present", 2, "check_in", AT),
        (str(uuid.uuid4()), str(uuid.uuid4()), "absent", 1, "teacher", None),
    ]
    as_messages = pb.GetJournalGridResponse()
    as_messages.MergeFromString(grid_wire.attendance_cells(rows))
    assert orjson.loads(grid_json.attendance_cells(rows)) == printed(as_messages, "attendance")


def test_an_empty_grid_is_an_empty_array() -> None:
    assert grid_json.mark_cells([]) == b"[]" and grid_json.attendance_cells([]) == b"[]"
