"""Call any RPC of a service by its descriptor, with a request filled in from its field names, to see
how the service answers a caller (test support for the authorization matrix, tests/contract)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import grpc
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

STRING = FieldDescriptor.TYPE_STRING
MESSAGE = FieldDescriptor.TYPE_MESSAGE


def filled(message: Message) -> Message:
    """Ids are random UUIDs (nothing they name exists), dates today, other scalars left empty: a
    request as plausible as possible about things the caller cannot know exist."""
    for f in message.DESCRIPTOR.fields:
        if f.is_repeated:
            continue
        if f.type == STRING and (f.name.endswith("_id") or f.name in ("id", "section")):
            setattr(message, f.name, str(uuid.uuid4()))
        elif f.type == STRING and f.name in ("idempotency_key", "request_id"):
            setattr(message, f.name, uuid.uuid4().hex)
        elif f.type == STRING and (f.name in ("date", "on_date") or f.name.endswith(("_on", "_date"))):
            setattr(message, f.name, date.today().isoformat())
        elif (
            f.type == MESSAGE
            and f.message_type is not None
            and f.message_type.full_name.startswith("ejournal.")
        ):
            filled(getattr(message, f.name))
    return message


def _serialize(message: Message) -> bytes:
    return message.SerializeToString()


def request_for(method: MethodDescriptor) -> Message:
    return filled(GetMessageClass(method.input_type)())


async def call(
    channel: grpc.aio.Channel, method: MethodDescriptor, metadata: Any = None
) -> tuple[grpc.StatusCode, str]:
    """The status code and details the service answers (OK, "" when it answers)."""
    path = f"/{method.containing_service.full_name}/{method.name}"
    reply_type = GetMessageClass(method.output_type)
    request = request_for(method)
    try:
        if method.server_streaming:
            stream = channel.unary_stream(
                path, request_serializer=_serialize, response_deserializer=reply_type.FromString
            )
            async for _ in stream(request, metadata=metadata, timeout=20):
                break
        elif method.client_streaming:
            stream_in = channel.stream_unary(
                path, request_serializer=_serialize, response_deserializer=reply_type.FromString
            )
            await stream_in(iter([request]), metadata=metadata, timeout=20)
        else:
            unary = channel.unary_unary(
                path, request_serializer=_serialize, response_deserializer=reply_type.FromString
            )
            await unary(request, metadata=metadata, timeout=20)
    except grpc.aio.AioRpcError as error:
        return error.code(), error.details() or ""
    return grpc.StatusCode.OK, ""
