"""The gateway's fast reply conversion gives exactly what protobuf's MessageToDict gives, for every
message of every contract: empty, and filled with every kind of field (presence, repeated, maps,
enums, 64-bit integers, floats, bytes, nested and well-known messages)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

import ejournal
from services.gateway.proto_json import gateway_only, to_dict

F = FieldDescriptor


def every_message() -> list[type[Message]]:
    found: dict[str, type[Message]] = {}
    for module_info in pkgutil.walk_packages(ejournal.__path__, "ejournal."):
        if not module_info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(module_info.name)
        stack: list[Any] = list(module.DESCRIPTOR.message_types_by_name.values())
        while stack:
            descriptor = stack.pop()
            stack.extend(descriptor.nested_types)
            if not descriptor.GetOptions().map_entry:
                found[descriptor.full_name] = descriptor._concrete_class
    return [found[name] for name in sorted(found)]


def sample(field: Any, n: int) -> Any:
    if field.type == F.TYPE_ENUM:
        values = field.enum_type.values
        return values[min(n, len(values) - 1)].number
    if field.type == F.TYPE_BOOL:
        return n % 2 == 0
    if field.type == F.TYPE_STRING:
        return f"текст {n} ✓"
    if field.type == F.TYPE_BYTES:
        return bytes([n, 255, 0])
    if field.type in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return 0.1 + n
    if field.type in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
        return -(2**53) - n
    if field.type in (F.TYPE_UINT64, F.TYPE_FIXED64):
        return 2**63 + n
    if field.type in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
        return -7 - n
    return 7 + n


def fill(message: Message, depth: int = 0) -> None:
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and field.containing_oneof.fields[0] is not field:
            continue  # one member of each oneof
        if gateway_only(field):
            continue  # not printed; a JSON carrier's own test is below
        target = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            key_field = field.message_type.fields_by_name["key"]
            for n in range(2):
                key = sample(key_field, n)
                if value_field.message_type is not None:
                    if depth < 2:
                        fill(target[key], depth + 1)
                else:
                    target[key] = sample(value_field, n)
        elif field.message_type is not None:
            if depth >= 2 or field.message_type.full_name.startswith("google.protobuf.Struct"):
                continue
            if field.is_repeated:
                for _ in range(2):
                    fill(target.add(), depth + 1)
            elif field.message_type.full_name == "google.protobuf.Timestamp":
                getattr(message, field.name).FromSeconds(1_790_000_000)
            else:
                fill(getattr(message, field.name), depth + 1)
                getattr(message, field.name).SetInParent()
        elif field.is_repeated:
            target.extend([sample(field, 0), sample(field, 1)])
        else:
            setattr(message, field.name, sample(field, 1))


def reference(message: Message) -> dict[str, Any]:
    """MessageToDict's output without the fields between the gateway and the service (not printed)."""
    printed = MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    for field in message.DESCRIPTOR.fields:
        if gateway_only(field):
            printed.pop(field.name, None)
    return printed


MESSAGES = every_message()


@pytest.mark.unit
def test_every_contract_message_is_covered() -> None:
    names = {m.DESCRIPTOR.full_name for m in MESSAGES}
    assert "ejournal.gradebook.v1.GetJournalGridResponse" in names and len(names) > 100


@pytest.mark.unit
@pytest.mark.parametrize("message_type", MESSAGES, ids=lambda m: m.DESCRIPTOR.full_name)
def test_the_fast_conversion_is_message_to_dict(message_type: type[Message]) -> None:
    empty = message_type()
    assert to_dict(empty) == reference(empty)
    filled = message_type()
    fill(filled)
    assert to_dict(filled) == reference(filled)


@pytest.mark.unit
def test_a_field_for_the_gateway_only_is_never_printed() -> None:
    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

    printed = to_dict(pb.GetJournalGridResponse(cells_json=b"", attendance_json=b""))
    assert "cells_json" not in printed and "attendance_json" not in printed
    assert printed["cells"] == [] and printed["attendance"] == []


@pytest.mark.unit
def test_cells_the_service_sent_as_json_are_printed_as_the_cells_they_are() -> None:
    """A grid reply carrying its cells as JSON (cells_as_json) prints the same as one carrying them as
    messages; the gateway's JSON goes out through orjson, which writes the fragment as it is."""
    import orjson

    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

    cells = [
        pb.MarkCell(column_id="c1", student_id="s1", value="н/б", version=2**40),
        pb.MarkCell(column_id="c2"),
    ]
    attendance = [
        pb.AttendanceCell(column_id="c1", student_id="s1", status="late", version=3, source="teacher")
    ]
    as_messages = pb.GetJournalGridResponse(cells=cells, attendance=attendance)
    as_json = pb.GetJournalGridResponse(
        cells_json=orjson.dumps([to_dict(c) for c in cells]),
        attendance_json=orjson.dumps([to_dict(a) for a in attendance]),
    )
    assert orjson.loads(orjson.dumps(to_dict(as_json))) == reference(as_messages)
    assert list(to_dict(as_json)) == list(to_dict(as_messages))  # the same fields in the same order
