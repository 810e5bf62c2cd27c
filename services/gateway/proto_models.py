"""Pydantic models derived from protobuf messages, so the OpenAPI document describes every route's
body and reply exactly as the service contract does, without a hand-kept copy of each message."""

from __future__ import annotations

from typing import Any, ForwardRef

import orjson
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from google.protobuf.message import Message
from pydantic import BaseModel, ConfigDict, Field, create_model

from services.gateway.proto_json import gateway_only

SCALARS: dict[int, Any] = {
    FieldDescriptor.TYPE_STRING: str,
    FieldDescriptor.TYPE_BOOL: bool,
    FieldDescriptor.TYPE_INT32: int,
    FieldDescriptor.TYPE_SINT32: int,
    FieldDescriptor.TYPE_UINT32: int,
    FieldDescriptor.TYPE_INT64: int,
    FieldDescriptor.TYPE_SINT64: int,
    FieldDescriptor.TYPE_UINT64: int,
    FieldDescriptor.TYPE_FIXED32: int,
    FieldDescriptor.TYPE_FIXED64: int,
    FieldDescriptor.TYPE_DOUBLE: float,
    FieldDescriptor.TYPE_FLOAT: float,
    FieldDescriptor.TYPE_BYTES: str,  # base64 in JSON
}
_WELL_KNOWN: dict[str, Any] = {
    "google.protobuf.Timestamp": str,  # RFC 3339
    "google.protobuf.Duration": str,
    "google.protobuf.Struct": dict[str, Any],
    "google.protobuf.Value": Any,
    "google.protobuf.ListValue": list[Any],
}


# Every model made so far by name, so a recursive message (a course unit's parts are course units)
# refers to itself by name and is resolved once its model exists.
_MODELS: dict[str, type[BaseModel]] = {}
_IN_PROGRESS: set[str] = set()


def _model_name(descriptor: Descriptor, suffix: str = "") -> str:
    return descriptor.full_name.replace("ejournal.", "").replace(".v1.", "_").replace(".", "_") + suffix


def _field_type(field: FieldDescriptor) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        nested = field.message_type
        assert nested is not None
        if nested.GetOptions().map_entry:
            return dict[str, _field_type(nested.fields_by_name["value"])]  # type: ignore[misc]
        if nested.full_name in _WELL_KNOWN:
            kind = _WELL_KNOWN[nested.full_name]
        elif _model_name(nested) in _IN_PROGRESS:
            kind = ForwardRef(_model_name(nested))
        else:
            kind = model_for(nested)
    elif field.type == FieldDescriptor.TYPE_ENUM:
        kind = str  # the enum value's name
    else:
        kind = SCALARS[field.type]
    return list[kind] if field.is_repeated else kind  # type: ignore[valid-type]


def model_for(descriptor: Any, exclude: frozenset[str] = frozenset()) -> type[BaseModel]:
    """A pydantic model with one optional field per protobuf field (proto3: absent means default);
    fields between the gateway and the service only (`gateway_only`) are not part of the API."""
    name = _model_name(descriptor, "Body" if exclude else "")
    if name in _MODELS:
        return _MODELS[name]
    _IN_PROGRESS.add(name)
    try:
        fields: dict[str, Any] = {
            field.name: (_field_type(field) | None, Field(default=None))
            for field in descriptor.fields
            if field.name not in exclude and not gateway_only(field)
        }
        model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    finally:
        _IN_PROGRESS.discard(name)
    _MODELS[name] = model
    if not _IN_PROGRESS:  # the outermost call: resolve the names of recursive messages
        for made in _MODELS.values():
            made.model_rebuild(_types_namespace=_MODELS)
    return model


def to_json(message: Message) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def from_json(data: dict[str, Any], message_type: type[Message]) -> Message:
    """Build a request message; unknown fields were already refused by the pydantic model.

    A message made only of strings, booleans, integers and such messages is built by its constructor
    from the model's already typed values: ParseDict's generic walk was a sixth of the gateway's time
    on a 25-cell save (issue 19). Anything else — and any value the constructor refuses, so that the
    refusal reads as before — goes through ParseDict."""
    check_utf8(data)
    if _plain(message_type.DESCRIPTOR):
        try:
            return message_type(**_without_nulls(data))
        except (TypeError, ValueError):
            pass
    return ParseDict({k: v for k, v in data.items() if v is not None}, message_type())


_PLAIN_SCALARS = frozenset(
    {
        FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BOOL, FieldDescriptor.TYPE_INT32,
        FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED32,
        FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED32, FieldDescriptor.TYPE_SFIXED64,
    }
)  # fmt: skip
_PLAIN: dict[str, bool] = {}


def _plain(descriptor: Any) -> bool:
    """No field whose JSON form differs from its Python value (enums, bytes, floats, maps, well-known
    types) and no oneof (ParseDict refuses two members set; a constructor keeps the last)."""
    known = _PLAIN.get(descriptor.full_name)
    if known is not None:
        return known
    _PLAIN[descriptor.full_name] = False  # a recursive message is not plain
    plain = not descriptor.oneofs or all(o.name.startswith("_") for o in descriptor.oneofs)
    for field in descriptor.fields:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            nested = field.message_type
            plain = plain and nested is not None and not nested.GetOptions().map_entry
            plain = plain and nested is not None and nested.full_name not in _WELL_KNOWN and _plain(nested)
        else:
            plain = plain and field.type in _PLAIN_SCALARS
    _PLAIN[descriptor.full_name] = plain
    return plain


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def check_utf8(value: Any, where: str = "") -> None:
    """JSON may carry lone surrogates (\\ud800) that no UTF-8 string holds, or NUL characters that no
    database text holds: refuse them, naming the field."""
    if not where and _surely_clean(value):
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(f"{where or 'body'}: not valid Unicode text") from None
        if "\x00" in value:
            raise ParseError(f"{where or 'body'}: must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_utf8(key, where)
            check_utf8(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_utf8(item, f"{where}[{index}]")


def _surely_clean(value: Any) -> bool:
    """True only when no string of the body (key or value) can hold a lone surrogate or a NUL: orjson
    refuses to encode a lone surrogate and writes a NUL as \\u0000 (a text that merely contains the
    characters \\u0000 reads as unclean too, and the walk then decides). One C pass instead of a
    Python walk over every string of a 25-cell save (issue 19)."""
    try:
        encoded = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return False
    return b"\\u0000" not in encoded
