"""The event envelope: a protobuf payload plus CloudEvents attributes.

An event's type is its protobuf message's full name (ejournal.gradebook.v1.MarkRecorded) and is also
its NATS subject, so a subscriber filters by service (`ejournal.gradebook.>`) or by one type. Each
publishing service has one JetStream stream, named by stream_name(service).
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from google.protobuf.message import Message

M = TypeVar("M", bound=Message)

CE_ID, CE_TYPE, CE_SOURCE, CE_TIME, CE_SUBJECT = "ce-id", "ce-type", "ce-source", "ce-time", "ce-subject"
CE_SPECVERSION, CE_DATACONTENTTYPE = "ce-specversion", "ce-datacontenttype"
NATS_MSG_ID = "Nats-Msg-Id"
PROTOBUF_CONTENT_TYPE = "application/protobuf"


def stream_name(service: str) -> str:
    return f"EJOURNAL_{service.upper()}"


def stream_subjects(service: str) -> list[str]:
    return [f"ejournal.{service}.>"]


def new_event_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Event:
    """A fact that happened, to be published after its transaction commits."""

    payload: Message
    subject: str  # the resource it is about, e.g. "journal/6f1c…" (CloudEvents `subject`)
    id: str = field(default_factory=new_event_id)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def type(self) -> str:
        return str(self.payload.DESCRIPTOR.full_name)


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as a consumer sees it: attributes from headers, payload still as bytes."""

    id: str
    type: str
    source: str
    subject: str
    time: str
    data: bytes
    headers: dict[str, str]

    def parse(self, message_type: builtins.type[M]) -> M:
        message = message_type()
        message.ParseFromString(self.data)
        return message


def headers_for(event_id: str, event_type: str, source: str, subject: str, time: str) -> dict[str, str]:
    return {
        NATS_MSG_ID: event_id,
        CE_SPECVERSION: "1.0",
        CE_ID: event_id,
        CE_TYPE: event_type,
        CE_SOURCE: source,
        CE_TIME: time,
        CE_SUBJECT: subject,
        CE_DATACONTENTTYPE: PROTOBUF_CONTENT_TYPE,
    }
