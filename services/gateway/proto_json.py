"""Protobuf reply -> JSON-ready dict, the same as protobuf's MessageToDict(preserving_proto_field_name,
always_print_fields_with_no_presence) gives, several times faster.

Why: MessageToDict walks every field of every message through a generic printer; for a 30 x 60 grid
(1,800 cells) that was half of the gateway's time (docs/perf/README.md). Here each message type gets
its list of fields once, with a converter per field kind, so a reply costs one attribute read and at
most one small conversion per field. Well-known types (Timestamp, Struct, …), whose JSON forms are
special, and the rare float/bytes fields go to MessageToDict's own printer, so their JSON is its.
tests/unit/test_proto_json.py compares both on every reply type the gateway serves.

Fields marked `(ejournal.api.v1.gateway_only)` are not printed. A reply's gateway-only bytes field
`<name>_json` holds the JSON of its public field `<name>`, encoded by the service (the grid's 7,100 cells:
GetJournalGridResponse.cells_json): when set, it is printed in `<name>`'s place as it is, an
orjson.Fragment, so a dict holding it goes out through orjson.dumps.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from typing import Any

import orjson
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from ejournal.api.v1 import options_pb2

Convert = Callable[[Any], Any]
F = FieldDescriptor
_AS_IS = {
    F.TYPE_INT32,
    F.TYPE_SINT32,
    F.TYPE_SFIXED32,
    F.TYPE_UINT32,
    F.TYPE_FIXED32,
    F.TYPE_BOOL,
    F.TYPE_STRING,
}
_AS_TEXT = {
    F.TYPE_INT64,
    F.TYPE_SINT64,
    F.TYPE_SFIXED64,
    F.TYPE_UINT64,
    F.TYPE_FIXED64,
}  # proto3 JSON: strings
Step = tuple[str, bool, Convert | None, bool]  # field name, printed only when set, converter, repeated
_CONVERTERS: dict[str, Convert] = {}


def _print_wrapped(field: Any) -> Convert:
    """A field MessageToDict formats specially (float, double, bytes): its own output for it."""
    container = field.containing_type._concrete_class
    repeated = field.is_repeated  # then the converter gets one element at a time

    def convert(value: Any) -> Any:
        printed = MessageToDict(
            container(**{field.name: [value] if repeated else value}),
            preserving_proto_field_name=True,
            always_print_fields_with_no_presence=True,
        )[field.name]
        return printed[0] if repeated else printed

    return convert


def _enum(field: Any) -> Convert:
    names = {v.number: v.name for v in field.enum_type.values}
    return lambda number: names.get(number, number)


def _scalar(field: Any) -> Convert | None:
    """None: the value is its own JSON."""
    if field.type in _AS_IS:
        return None
    if field.type in _AS_TEXT:
        return str
    if field.type == F.TYPE_ENUM:
        return _enum(field)
    return _print_wrapped(field)


def _message(descriptor: Any) -> Convert:
    if descriptor.full_name.startswith("google.protobuf."):
        return lambda value: MessageToDict(
            value, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        )
    return _converter(descriptor)


def gateway_only(field: Any) -> bool:
    """A field between the gateway and a service, not part of the HTTP API (options.proto)."""
    return bool(field.GetOptions().Extensions[options_pb2.gateway_only])


def packed_json(descriptor: Any) -> dict[str, str]:
    """Public field name -> the gateway-only field carrying its JSON (`<name>_json`, bytes)."""
    return {
        field.name.removesuffix("_json"): field.name
        for field in descriptor.fields
        if gateway_only(field)
        and field.type == F.TYPE_BYTES
        and field.name.endswith("_json")
        and field.name.removesuffix("_json") in descriptor.fields_by_name
    }


def _plan(descriptor: Any) -> list[Step]:
    """Per field: name, printed only when set (has presence), converter, repeated."""
    plan: list[Step] = []
    for field in descriptor.fields:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            key_is_bool = field.message_type.fields_by_name["key"].type == F.TYPE_BOOL
            value_convert = (
                _message(value_field.message_type) if value_field.message_type else _scalar(value_field)
            )

            def convert_map(mapping: Any, vc: Convert | None = value_convert, kb: bool = key_is_bool) -> Any:
                key = (lambda k: "true" if k else "false") if kb else str
                return {key(k): (vc(v) if vc else v) for k, v in mapping.items()}

            plan.append((field.name, False, convert_map, False))
            continue
        convert = _message(field.message_type) if field.message_type is not None else _scalar(field)
        repeated = field.is_repeated
        plan.append((field.name, field.has_presence and not repeated, convert, repeated))
    return plan


def _flat(descriptor: Any) -> bool:
    """A message of plain scalar fields without presence (a grid's cell, a roster entry): its dict can
    be written inline where a list of them is converted, with no call per element."""
    return not descriptor.full_name.startswith("google.protobuf.") and all(
        f.message_type is None and not f.is_repeated and not f.has_presence and f.type in _AS_IS | _AS_TEXT
        for f in descriptor.fields
    )


def _read(var: str, name: str) -> str:
    plain = name.isidentifier() and not keyword.iskeyword(name)
    return f"{var}.{name}" if plain else f"getattr({var}, {name!r})"


def _flat_literal(descriptor: Any, var: str) -> str:
    items = (
        f"{f.name!r}: " + (f"str({_read(var, f.name)})" if f.type in _AS_TEXT else _read(var, f.name))
        for f in descriptor.fields
    )
    return "{" + ", ".join(items) + "}"


def _converter(descriptor: Any) -> Convert:
    """The converter of one message type: Python source written from its field plan and compiled
    once (a dict literal per message, a comprehension per repeated field), so a reply costs what
    hand-written code would. Converters of nested types are looked up by name when called (the
    compiled function's globals), since types may recurse."""
    found = _CONVERTERS.get(descriptor.full_name)
    if found is not None:
        return found
    namespace: dict[str, Any] = {"Fragment": orjson.Fragment}
    lines = ["def convert(m):", "    out = {}"]
    packed = packed_json(descriptor)
    for n, field in enumerate(descriptor.fields):
        if gateway_only(field):
            continue
        name, value, element = field.name, _read("m", field.name), field.message_type
        is_map = element is not None and element.GetOptions().map_entry
        as_is = element is None and field.type in _AS_IS
        repeated = field.is_repeated and not is_map
        if repeated and element is not None and _flat(element):
            expression = f"[{_flat_literal(element, 'x')} for x in {value}]"
        elif repeated:
            expression = f"list({value})" if as_is else f"[_c{n}(x) for x in {value}]"
        else:
            expression = value if as_is else f"_c{n}({value})"
        if name in packed:
            # Read once: each read of a bytes field copies it.
            expression = f"Fragment(_p) if (_p := {_read('m', packed[name])}) else {expression}"
        if field.has_presence and not field.is_repeated:
            lines += [f"    if m.HasField({name!r}):", f"        out[{name!r}] = {expression}"]
        else:
            lines.append(f"    out[{name!r}] = {expression}")
    lines.append("    return out")
    exec("\n".join(lines), namespace)  # source written above from the descriptor's field names only
    convert: Convert = namespace["convert"]
    _CONVERTERS[descriptor.full_name] = convert
    # Nested types' converters only now: a type that contains itself finds its own converter above.
    for n, (_name, _presence, field_convert, _repeated) in enumerate(_plan(descriptor)):
        namespace[f"_c{n}"] = field_convert
    return convert


def to_dict(message: Message) -> dict[str, Any]:
    converted: dict[str, Any] = _converter(message.DESCRIPTOR)(message)
    return converted
