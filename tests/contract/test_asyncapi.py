"""The AsyncAPI document is valid AsyncAPI 3, fresh from proto/, and its examples are valid payloads
that protobuf's canonical JSON mapping really produces (issue 20)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from google.protobuf import json_format

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.contract import asyncapi_document, event_types, message_class, to_json

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).parent / "vendor" / "asyncapi-specs" / "asyncapi-3.0.0.schema.json"


def test_the_document_validates_against_the_official_asyncapi_3_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(asyncapi_document())


def test_a_broken_document_is_refused_by_the_same_check() -> None:
    schema = json.loads(SCHEMA.read_text())
    broken = {**asyncapi_document(), "channels": {"x": {"address": 5}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_the_committed_document_is_what_the_protos_generate() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/asyncapi.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_every_example_is_a_valid_payload_and_round_trips_through_protobuf() -> None:
    document = asyncapi_document()
    for key, message in document["components"]["messages"].items():
        payload = message["examples"][0]["payload"]
        jsonschema.Draft7Validator({**document, "$ref": f"#/components/schemas/{key}"}).validate(payload)
        event_type = message["title"]
        assert event_type in event_types()
        # canonical JSON -> protobuf -> canonical JSON gives the example back
        proto = message_class(event_type)()
        json_format.ParseDict(payload, proto)
        assert json.loads(to_json(event_type, proto.SerializeToString())) == payload


def test_to_json_is_protobufs_canonical_mapping() -> None:
    event = gb.StatementFormed(
        statement_id="s", number=12, lines=[gb.StatementFormedLine(student_id="a", passed=True)]
    )
    assert json.loads(to_json("ejournal.gradebook.v1.StatementFormed", event.SerializeToString())) == {
        "statementId": "s",
        "number": "12",
        "lines": [{"studentId": "a", "passed": True}],
    }
