"""The published contract of ejournal's events for outside subscribers (issue 20).

- asyncapi_document(): the AsyncAPI 3 document scripts/asyncapi.py generates from proto/ (committed
  beside this module; CI fails when it is stale), served by the gateway at /asyncapi.json.
- to_json(): an event's protobuf payload in protobuf's canonical JSON mapping, for subscribers that ask
  for `application/json` instead of `application/protobuf`.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from importlib import resources
from typing import Any

from google.protobuf import descriptor_pool, json_format
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

JSON_CONTENT_TYPE = "application/json"
EVENT_MODULES = tuple(
    f"ejournal.{service}.v1.events_pb2"
    for service in ("identity", "curriculum", "gradebook", "workflow", "notifier")
)


@cache
def asyncapi_document() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("asyncapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def message_class(event_type: str) -> type[Message]:
    """The generated class of an event type (KeyError when the contract has no such event)."""
    for module in EVENT_MODULES:
        importlib.import_module(module)
    return GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(event_type))


def event_types() -> list[str]:
    """Every event type (= NATS subject) of the published contract."""
    return sorted(channel["address"] for channel in asyncapi_document()["channels"].values())


def to_json(event_type: str, data: bytes) -> bytes:
    """The protobuf payload of an event as canonical JSON (field names in lowerCamelCase, int64 as
    text, default values left out)."""
    message = message_class(event_type)()
    message.ParseFromString(data)
    return json.dumps(json_format.MessageToDict(message), ensure_ascii=False, separators=(",", ":")).encode()
