"""Generate the AsyncAPI 3 document of ejournal's events from proto/ (issue 20).

Channels are the NATS subjects (one per event type, the payload's protobuf full name); messages are
the event types, with their CloudEvents headers, a JSON Schema of the payload in protobuf's canonical
JSON mapping and an example. The proto comments become the descriptions, so the descriptor set is
built with source info by the same protoc as scripts/protogen.py.

`python scripts/asyncapi.py` writes libs/ejournal_platform/contract/asyncapi.json (served by the
gateway at /asyncapi.json) and docs/asyncapi.md; `--check` fails when either is stale (CI).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from google.protobuf import descriptor_pb2, json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.descriptor_pool import DescriptorPool
from google.protobuf.message_factory import GetMessageClass
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"
DOCUMENT = ROOT / "libs" / "ejournal_platform" / "contract" / "asyncapi.json"
RENDERED = ROOT / "docs" / "asyncapi.md"
VERSION = "1.0.0"

F = FieldDescriptor
SCALARS: dict[int, dict[str, object]] = {
    F.TYPE_STRING: {"type": "string"},
    F.TYPE_BOOL: {"type": "boolean"},
    F.TYPE_INT32: {"type": "integer", "format": "int32"},
    F.TYPE_SINT32: {"type": "integer", "format": "int32"},
    F.TYPE_UINT32: {"type": "integer", "format": "int32"},
    # Canonical JSON writes 64-bit integers as strings.
    F.TYPE_INT64: {"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"},
    F.TYPE_SINT64: {"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"},
    F.TYPE_UINT64: {"type": "string", "format": "int64", "pattern": "^[0-9]+$"},
    F.TYPE_DOUBLE: {"type": "number"},
    F.TYPE_FLOAT: {"type": "number"},
    F.TYPE_BYTES: {"type": "string", "contentEncoding": "base64"},
}


def descriptor_set() -> descriptor_pb2.FileDescriptorSet:
    files = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("events.proto"))
    include = Path(protoc.__file__).parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "events.pb"
        args = ["protoc", f"-I{PROTO}", f"-I{include}", "--include_source_info", "--include_imports"]
        if protoc.main([*args, f"--descriptor_set_out={out}", *files]) != 0:
            raise SystemExit("protoc failed")
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


def comments(fds: descriptor_pb2.FileDescriptorSet) -> dict[str, str]:
    """Leading comments by full name, for messages (path [4, i]) and their fields ([4, i, 2, j])."""
    found: dict[str, str] = {}
    for file in fds.file:
        for location in file.source_code_info.location:
            text = " ".join(line.strip() for line in location.leading_comments.strip().splitlines())
            path = list(location.path)
            if not text or not path or path[0] != 4:
                continue
            if len(path) == 2:
                found[f"{file.package}.{file.message_type[path[1]].name}"] = text
            elif len(path) == 4 and path[2] == 2:
                message = file.message_type[path[1]]
                found[f"{file.package}.{message.name}.{message.field[path[3]].name}"] = text
    return found


def is_event(message: Descriptor, all_messages: list[Descriptor]) -> bool:
    """An event is a top-level message of an events.proto that no other message uses as a field."""
    used = {
        f.message_type.full_name
        for m in all_messages
        for f in m.fields
        if f.message_type is not None and f.message_type.full_name != m.full_name
    }
    return message.full_name not in used


def schema_name(message: Descriptor) -> str:
    return message.full_name.replace(".", "_")


def field_schema(field: FieldDescriptor, notes: dict[str, str]) -> dict[str, object]:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        value = field.message_type.fields_by_name["value"]
        schema: dict[str, object] = {"type": "object", "additionalProperties": single_schema(value)}
    elif field.is_repeated:
        schema = {"type": "array", "items": single_schema(field)}
    else:
        schema = single_schema(field)
    note = notes.get(field.full_name)
    return {**schema, "description": note} if note else schema


def single_schema(field: FieldDescriptor) -> dict[str, object]:
    if field.message_type is not None:
        return {"$ref": f"#/components/schemas/{schema_name(field.message_type)}"}
    if field.enum_type is not None:
        return {"type": "string", "enum": [v.name for v in field.enum_type.values]}
    return dict(SCALARS[field.type])


def message_schema(message: Descriptor, notes: dict[str, str]) -> dict[str, object]:
    schema: dict[str, object] = {
        "type": "object",
        "properties": {f.json_name: field_schema(f, notes) for f in message.fields},
        "additionalProperties": False,
    }
    if message.full_name in notes:
        schema["description"] = notes[message.full_name]
    return schema


def sample_value(field: FieldDescriptor, message: Descriptor) -> object:
    name = field.name
    if field.enum_type is not None:
        return field.enum_type.values[-1].number
    if field.type == F.TYPE_BOOL:
        return True
    if field.type in (F.TYPE_INT32, F.TYPE_INT64, F.TYPE_UINT32, F.TYPE_UINT64, F.TYPE_SINT32, F.TYPE_SINT64):
        return 1
    if field.type in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
        return 1.5
    if field.type == F.TYPE_BYTES:
        return b"\x01"
    if name.endswith("_id") or name.endswith("_ids"):
        return "6f1c2b9e-0000-4000-8000-000000000001"
    if name.endswith("_at") or name in ("at", "deadline", "expires_at"):
        return "2026-12-02T09:00:00+00:00"
    if name.endswith("date"):
        return "2026-12-02"
    return name


def example(cls: type, message: Descriptor) -> dict[str, object]:
    """A payload with every field set to a plausible value, in canonical JSON."""
    instance = cls()
    fill(instance, message)
    return json_format.MessageToDict(instance, preserving_proto_field_name=False)


def fill(instance: object, message: Descriptor, depth: int = 0) -> None:
    for field in message.fields:
        target = getattr(instance, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            target["6f1c2b9e-0000-4000-8000-000000000002"] = "value"
        elif field.message_type is not None:
            if depth > 1:
                continue
            child = target.add() if field.is_repeated else target
            fill(child, field.message_type, depth + 1)
        elif field.is_repeated:
            target.append(sample_value(field, message))
        else:
            setattr(instance, field.name, sample_value(field, message))


HEADERS = {
    "type": "object",
    "description": "CloudEvents attributes (binary mode). On NATS they are message headers named ce-*;"
    " in a webhook they are HTTP headers named ce-* beside the Standard Webhooks headers.",
    "required": ["ce-specversion", "ce-id", "ce-type", "ce-source", "ce-time", "ce-subject"],
    "properties": {
        "ce-specversion": {"type": "string", "const": "1.0"},
        "ce-id": {"type": "string", "format": "uuid", "description": "Unique per event; deduplicate by it."},
        "ce-type": {"type": "string", "description": "The payload's protobuf full name (= NATS subject)."},
        "ce-source": {"type": "string", "description": "ejournal/<service>"},
        "ce-time": {"type": "string", "format": "date-time"},
        "ce-subject": {"type": "string", "description": "The resource, e.g. journal/<id>."},
        "ce-datacontenttype": {"type": "string", "enum": ["application/protobuf", "application/json"]},
        "Nats-Msg-Id": {"type": "string", "description": "NATS only: equals ce-id."},
    },
}


def build() -> dict[str, object]:
    fds = descriptor_set()
    notes = comments(fds)
    pool = DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    events_files = [f for f in fds.file if f.name.endswith("/events.proto")]
    channels: dict[str, object] = {}
    operations: dict[str, object] = {}
    messages: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for file in sorted(events_files, key=lambda f: f.name):
        service = file.package.split(".")[1]
        descriptors = [pool.FindMessageTypeByName(f"{file.package}.{m.name}") for m in file.message_type]
        for message in descriptors:
            schemas[schema_name(message)] = message_schema(message, notes)
            if not is_event(message, descriptors):
                continue
            key = schema_name(message)
            headers_example = {
                "ce-specversion": "1.0",
                "ce-id": "0b6f4f0e-7c53-4c3e-9a55-3f6a2f1d2c10",
                "ce-type": message.full_name,
                "ce-source": f"ejournal/{service}",
                "ce-time": "2026-12-02T09:00:00+00:00",
                "ce-subject": "journal/6f1c2b9e-0000-4000-8000-000000000001",
                "ce-datacontenttype": "application/json",
            }
            messages[key] = {
                "name": message.name,
                "title": message.full_name,
                "summary": notes.get(message.full_name, message.name),
                "contentType": "application/json",
                "headers": HEADERS,
                "payload": {"$ref": f"#/components/schemas/{key}"},
                "examples": [
                    {
                        "name": "canonical-json",
                        "headers": headers_example,
                        "payload": example(GetMessageClass(message), message),
                    }
                ],
            }
            channels[key] = {
                "address": message.full_name,
                "title": message.name,
                "description": f"Published by {service} on stream EJOURNAL_{service.upper()}. "
                + notes.get(message.full_name, ""),
                "messages": {message.name: {"$ref": f"#/components/messages/{key}"}},
            }
            operations[f"receive_{key}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{key}"},
                "messages": [{"$ref": f"#/channels/{key}/messages/{message.name}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "ejournal events",
            "version": VERSION,
            "description": "Facts the electronic journal publishes, for other university systems. "
            "Delivered on NATS JetStream (subject = event type) and as signed webhooks "
            "(CloudEvents binary mode, Standard Webhooks signature). Payloads are protobuf "
            "(application/protobuf, the .proto files in proto/) or protobuf's canonical JSON "
            "(application/json), which these schemas describe. See docs/events.md and docs/subscribers.md.",
            "license": {"name": "Apache-2.0"},
        },
        "defaultContentType": "application/json",
        "servers": {
            "nats": {
                "host": "nats.ejournal.example:4222",
                "protocol": "nats",
                "description": "JetStream; per-subscriber credentials from the administrator.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render(document: dict[str, object]) -> str:
    lines = [
        "# ejournal events (AsyncAPI 3)",
        "",
        "Generated by `python scripts/asyncapi.py` from `proto/*/v1/events.proto`; do not edit. The",
        "machine-readable document is served by the gateway at `/asyncapi.json`",
        "(`libs/ejournal_platform/contract/asyncapi.json`). Every channel's address is a NATS subject",
        "and a webhook's `ce-type`. Field names below are protobuf's canonical JSON names",
        "(`application/json`); 64-bit integers are strings.",
        "",
    ]
    components = document["components"]
    assert isinstance(components, dict)
    channels = document["channels"]
    assert isinstance(channels, dict)
    for key, channel in channels.items():
        message = components["messages"][key]
        schema = components["schemas"][key]
        lines += [f"## `{channel['address']}`", "", message["summary"], ""]
        lines += ["| field | type | description |", "|---|---|---|"]
        for name, prop in schema["properties"].items():
            kind = prop.get("type") or prop.get("$ref", "").rsplit("/", 1)[-1]
            if kind == "array":
                items = prop["items"]
                kind = f"array of {items.get('type') or items.get('$ref', '').rsplit('/', 1)[-1]}"
            note = str(prop.get("description", "")).replace("|", "\\|")
            lines.append(f"| `{name}` | {kind} | {note} |")
        example_json = json.dumps(message["examples"][0]["payload"], ensure_ascii=False, indent=2)
        lines += [
            "",
            "<details><summary>example</summary>",
            "",
            "```json",
            example_json,
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed files are stale")
    args = parser.parse_args()
    document = build()
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    rendered = render(document)
    if args.check:
        stale = [
            str(p)
            for p, t in ((DOCUMENT, text), (RENDERED, rendered))
            if not p.exists() or p.read_text() != t
        ]
        if stale:
            sys.exit(f"stale, run python scripts/asyncapi.py: {', '.join(stale)}")
        return
    DOCUMENT.write_text(text)
    RENDERED.write_text(rendered)


if __name__ == "__main__":
    main()
