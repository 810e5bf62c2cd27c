"""The gateway builds plain request messages with their constructor (issue 19): the same message as
ParseDict gives, for every request type of every routed RPC, and the same refusal for a bad value."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import ParseDict, ParseError

from services.gateway.http_rules import message_types
from services.gateway.proto_models import _plain, from_json
from services.gateway.route_table import ROUTES

pytestmark = pytest.mark.unit

F = FieldDescriptor
SAMPLES: dict[int, Any] = {F.TYPE_STRING: "7f1c2a9e-0000-4000-8000-000000000001", F.TYPE_BOOL: True}


def sample(descriptor: Any, depth: int = 0) -> dict[str, Any]:
    """A body setting every field of a plain message (nested messages twice in a list)."""
    body: dict[str, Any] = {}
    for field in descriptor.fields:
        if field.type == F.TYPE_MESSAGE:
            if depth > 3:
                continue
            value: Any = sample(field.message_type, depth + 1)
        else:
            value = SAMPLES.get(field.type, 3)
        body[field.name] = [value, value] if field.is_repeated else value
    return body


def test_a_plain_request_is_the_message_parsedict_builds() -> None:
    plain = [req for route in ROUTES for req in [message_types(route)[0]] if _plain(req.DESCRIPTOR)]
    assert any(r.DESCRIPTOR.name == "WriteMarksRequest" for r in plain)
    for request_type in plain:
        body = sample(request_type.DESCRIPTOR)
        assert from_json(dict(body), request_type) == ParseDict(body, request_type()), request_type


def test_a_value_the_constructor_refuses_is_refused_as_parsedict_refuses_it() -> None:
    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

    body = {"journal_id": "j", "cells": [{"column_id": "c", "student_id": "s", "expected_version": 2**70}]}
    with pytest.raises(ParseError, match="cells"):
        from_json(body, pb.WriteMarksRequest)
    assert from_json({"journal_id": "j", "cells": [{"expected_version": None}]}, pb.WriteMarksRequest) == (
        ParseDict({"journal_id": "j", "cells": [{}]}, pb.WriteMarksRequest())
    )


def test_text_no_database_can_hold_is_refused_by_field_in_a_whole_save() -> None:
    """check_utf8's one-pass shortcut (orjson) never lets a NUL or a lone surrogate through: each is
    refused naming its cell, as the field-by-field walk names it; a text merely showing \\u0000 passes."""
    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

    def save(value: str, at: int) -> dict[str, Any]:
        cells = [{"column_id": SAMPLES[F.TYPE_STRING], "student_id": SAMPLES[F.TYPE_STRING], "value": "5"}
                 for _ in range(25)]  # fmt: skip
        cells[at]["value"] = value
        return {"journal_id": SAMPLES[F.TYPE_STRING], "cells": cells}

    with pytest.raises(ParseError, match=r"cells\[17\]\.value: must not contain NUL"):
        from_json(save("5\x00", 17), pb.WriteMarksRequest)
    with pytest.raises(ParseError, match=r"cells\[3\]\.value: not valid Unicode"):
        from_json(save("\ud800", 3), pb.WriteMarksRequest)
    with pytest.raises(ParseError, match="body: must not contain NUL"):
        from_json({"journal_id\x00": "x"}, pb.WriteMarksRequest)
    written = from_json(save("\\u0000", 9), pb.WriteMarksRequest)
    assert isinstance(written, pb.WriteMarksRequest) and written.cells[9].value == "\\u0000"
