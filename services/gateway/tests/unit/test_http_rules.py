"""The gateway reads its routes from google.api.http (http_rules.py): the subset it serves becomes
routes, and a binding it would serve differently from what the contract says is refused when the
routes are built, naming the RPC (so the app does not start with a route that lies)."""

from __future__ import annotations

from typing import Any

import pytest
from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import MethodDescriptor

from ejournal.api.v1 import options_pb2
from services.gateway.http_rules import UnsupportedBinding, routes_of

pytestmark = pytest.mark.unit
FIELD = descriptor_pb2.FieldDescriptorProto


def method(
    http: dict[str, Any], operation: dict[str, Any] | None = None, public: bool = False, nested: bool = False
) -> MethodDescriptor:
    """A one-method contract `t.v1.TService/Do(DoRequest)` with the given options, in a pool of its own."""
    pool = descriptor_pool.DescriptorPool()
    for known in (descriptor_pb2, http_pb2, annotations_pb2, options_pb2):
        pool.AddSerializedFile(known.DESCRIPTOR.serialized_pb)
    contract = descriptor_pb2.FileDescriptorProto(
        name="t/v1/t.proto",
        package="t.v1",
        syntax="proto3",
        dependency=["google/api/annotations.proto", "ejournal/api/v1/options.proto"],
    )
    request = contract.message_type.add(name="DoRequest")
    request.field.add(name="journal_id", number=1, type=FIELD.TYPE_STRING, label=FIELD.LABEL_OPTIONAL)
    request.field.add(name="note", number=2, type=FIELD.TYPE_STRING, label=FIELD.LABEL_OPTIONAL)
    request.field.add(name="ids", number=3, type=FIELD.TYPE_STRING, label=FIELD.LABEL_REPEATED)
    contract.message_type.add(name="DoResponse")
    if nested:
        request.field.add(name="filter", number=4, type=FIELD.TYPE_MESSAGE, type_name=".t.v1.DoResponse")
    rpc = contract.service.add(name="TService").method.add(
        name="Do", input_type=".t.v1.DoRequest", output_type=".t.v1.DoResponse"
    )
    if http:
        rpc.options.Extensions[annotations_pb2.http].CopyFrom(http_pb2.HttpRule(**http))
    if operation is not None:
        rpc.options.Extensions[options_pb2.operation].CopyFrom(options_pb2.Operation(**operation))
    rpc.options.Extensions[options_pb2.public] = public
    pool.Add(contract)
    found: MethodDescriptor = pool.FindServiceByName("t.v1.TService").methods_by_name["Do"]
    return found


DOC = {"summary": "Do it", "tag": "things"}


def test_a_binding_becomes_a_route_with_its_path_fields_body_and_presentation() -> None:
    (route,) = routes_of(
        "t", method({"post": "/api/v1/journals/{journal_id}/do", "body": "*"}, DOC | {"status": 201})
    )
    assert (route.method, route.path, route.path_fields, route.body) == (
        "POST",
        "/api/v1/journals/{journal_id}/do",
        ("journal_id",),
        "*",
    )
    assert (route.summary, route.tag, route.status_code, route.public) == ("Do it", "things", 201, False)
    assert route.operation_id == "t.Do"


def test_a_variable_may_be_written_with_its_single_segment_pattern_and_status_defaults_to_200() -> None:
    (route,) = routes_of("t", method({"get": "/api/v1/journals/{journal_id=*}"}, DOC, public=True))
    assert (route.path, route.path_fields, route.body, route.status_code, route.public) == (
        "/api/v1/journals/{journal_id}",
        ("journal_id",),
        "",
        200,
        True,
    )


def test_additional_bindings_are_further_routes_of_the_same_rpc() -> None:
    rule = {"get": "/api/v1/a/{journal_id}", "additional_bindings": [http_pb2.HttpRule(get="/api/v1/b")]}
    first, second = routes_of("t", method(rule, DOC))
    assert (first.path, second.path, second.path_fields) == ("/api/v1/a/{journal_id}", "/api/v1/b", ())
    assert (first.operation_id, second.operation_id) == ("t.Do", "t.Do.1")


def test_an_rpc_without_a_binding_has_no_route() -> None:
    assert routes_of("t", method({}, DOC)) == []


def test_a_request_with_a_message_field_is_served_with_a_body_only() -> None:
    (route,) = routes_of("t", method({"post": "/api/v1/a", "body": "*"}, DOC, nested=True))
    assert route.body == "*"
    with pytest.raises(UnsupportedBinding, match=r"message fields \['filter'\] cannot be reached"):
        routes_of("t", method({"get": "/api/v1/a"}, DOC, nested=True))


@pytest.mark.parametrize(
    ("http", "operation", "why"),
    [
        ({"get": "/api/v1/a/{journal_id}"}, None, "operation"),
        ({"get": "/api/v1/a/{journal_id}"}, {"summary": "Do it"}, "operation"),
        ({"get": "/api/v1/{name=journals/*}"}, DOC, "neither a literal"),
        ({"get": "/api/v1/a/**"}, DOC, "neither a literal"),
        ({"get": "/api/v1/a/{journal_id}:do"}, DOC, "custom verb"),
        ({"get": "/api/v1/a/{missing}"}, DOC, "singular scalar field"),
        ({"get": "/api/v1/a/{ids}"}, DOC, "singular scalar field"),
        ({"get": "/api/v1/a/{journal_id}/{journal_id}"}, DOC, "bound twice"),
        ({"post": "/api/v1/a", "body": "note"}, DOC, "body"),
        ({"get": "/api/v1/a", "response_body": "note"}, DOC, "response_body"),
        ({"custom": http_pb2.CustomHttpPattern(kind="HEAD", path="/api/v1/a")}, DOC, "verb"),
        ({"body": "*"}, DOC, "verb"),
    ],
)
def test_a_binding_the_gateway_would_serve_differently_is_refused_naming_the_rpc(
    http: dict[str, Any], operation: dict[str, Any] | None, why: str
) -> None:
    with pytest.raises(UnsupportedBinding, match=why) as refused:
        routes_of("t", method(http, operation))
    assert "t.Do" in str(refused.value) or "TService.Do" in str(refused.value)
