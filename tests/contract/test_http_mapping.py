"""The HTTP mapping lives in the contracts (issue 15, part 5). The gateway builds its routes from each
RPC's `option (google.api.http)` (verb, path, path fields, body) and `(ejournal.api.v1.operation)`
(summary, tag, status), so there is no second copy to disagree with. What is left to check: every RPC
of every service is bound or named in NOT_ROUTED with a reason, the gateway serves exactly the
bindings the contracts declare, the little the gateway adds names real routes, and which methods are
public is said once, by `(ejournal.api.v1.public)`, which the services' authentication hooks and the
gateway's routes both read."""

from __future__ import annotations

import inspect
import re

import pytest
from fastapi.routing import APIRoute
from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import ServiceDescriptor

from ejournal.api.v1 import options_pb2
from ejournal_platform.grpc.public import is_public, public_methods
from ejournal_platform.services import SERVICES
from services.gateway.http_rules import service_descriptor
from services.gateway.route_table import BEHAVIOUR, BOUNDED_LISTS, NOT_ROUTED, rpc_router

pytestmark = pytest.mark.unit

VERBS = ("get", "post", "put", "delete", "patch")


def services() -> dict[str, ServiceDescriptor]:
    return {name: service_descriptor(name) for name in SERVICES}


def declared() -> dict[str, list[tuple[str, str, bool]]]:
    """ "service.Method" -> its bindings, read here on their own: VERB, the path as FastAPI writes it,
    and whether a JSON body is taken (`body: "*"` and a field left that the path does not bind)."""
    found = {}
    for name, service in services().items():
        for method in service.methods:
            options = method.GetOptions()
            if not options.HasExtension(annotations_pb2.http):
                continue
            rule: http_pb2.HttpRule = options.Extensions[annotations_pb2.http]
            fields = {f.name for f in method.input_type.fields}
            found[f"{name}.{method.name}"] = [
                (verb.upper(), path, one.body == "*" and bool(fields - set(re.findall(r"{(\w+)}", path))))
                for one in [rule, *rule.additional_bindings]
                if (verb := one.WhichOneof("pattern")) in VERBS
                for path in [getattr(one, verb).replace("=*}", "}")]
            ]
    return found


def test_every_rpc_of_every_service_is_bound_in_its_contract_or_not_routed_with_a_reason() -> None:
    every = {f"{name}.{m.name}" for name, service in services().items() for m in service.methods}
    bound = set(declared())
    undecided = every - bound - set(NOT_ROUTED)
    assert not undecided, f"give these a google.api.http binding or a NOT_ROUTED reason: {sorted(undecided)}"
    assert not bound & set(NOT_ROUTED), "bound in the contract, yet named as not routed"
    assert set(NOT_ROUTED) <= every, f"stale NOT_ROUTED: {set(NOT_ROUTED) - every}"
    assert all(reason.strip() for reason in NOT_ROUTED.values())


def test_every_binding_says_how_the_openapi_document_presents_it() -> None:
    for name, service in services().items():
        for method in service.methods:
            options = method.GetOptions()
            if not options.HasExtension(annotations_pb2.http):
                continue
            operation = options.Extensions[options_pb2.operation]
            assert operation.summary.strip() and operation.tag.strip(), f"{name}.{method.name}"
            assert operation.status in (0, 201, 202), f"{name}.{method.name}: status {operation.status}"


def test_the_gateway_serves_exactly_the_bindings_the_contracts_declare() -> None:
    served: dict[str, list[tuple[str, str, bool]]] = {}
    for api_route in rpc_router().routes:
        assert isinstance(api_route, APIRoute)
        rpc = ".".join(api_route.name.split(".")[:2])
        for verb in sorted(api_route.methods or ()):
            served.setdefault(rpc, []).append((verb, api_route.path, api_route.body_field is not None))
    assert served == declared()


def test_what_the_gateway_adds_names_bound_rpcs_and_list_routes() -> None:
    bound = declared()
    assert set(BEHAVIOUR) <= set(bound), f"behaviour of an unbound RPC: {set(BEHAVIOUR) - set(bound)}"
    for name, behaviour in BEHAVIOUR.items():
        if behaviour.if_match_read:
            service = name.split(".")[0]
            assert f"{service}.{behaviour.if_match_read}" in bound, name
        if behaviour.etag:
            assert all(verb == "GET" for verb, _, _ in bound[name]), name
    session_routes = {"me_api_v1_session_me_get"}
    assert set(BOUNDED_LISTS) - session_routes <= set(bound)


def test_public_is_said_once_in_the_contract_and_read_by_services_and_gateway() -> None:
    from services.curriculum.entrypoints.main import PUBLIC_METHODS as CURRICULUM
    from services.identity.entrypoints.main import PUBLIC_METHODS as IDENTITY
    from services.reporting.entrypoints.main import PUBLIC_METHODS as REPORTING

    marked = frozenset().union(*(public_methods(s) for s in services().values()))
    assert marked == frozenset(IDENTITY) | frozenset(CURRICULUM) | frozenset(REPORTING)
    assert "/ejournal.identity.v1.IdentityService/Login" in marked
    assert "/ejournal.gradebook.v1.GradebookService/WriteMarks" not in marked
    # The gateway asks for a caller (a session or a token) on exactly the routes of methods the
    # contract does not mark public.
    for api_route in rpc_router().routes:
        assert isinstance(api_route, APIRoute)
        service_name, rpc = api_route.name.split(".")[:2]
        asks = "who" in inspect.signature(api_route.endpoint).parameters
        assert asks != is_public(services()[service_name].methods_by_name[rpc]), api_route.name


def test_no_two_routes_of_one_verb_can_match_the_same_path() -> None:
    """Routes come from seven contracts, the session, the imports and the portal: no path may be
    claimed twice (a variable matches any one segment), so the order they are tried in decides nothing."""
    from services.gateway.app import create_app
    from services.gateway.tests.settings import gateway_settings

    claimed = [
        (verb, route.path.strip("/").split("/"), route.path)
        for route in create_app(gateway_settings()).routes
        if isinstance(route, APIRoute)
        for verb in route.methods or ()
    ]
    clashes = [
        (verb, path, other_path)
        for index, (verb, segments, path) in enumerate(claimed)
        for other_verb, other, other_path in claimed[index + 1 :]
        if verb == other_verb
        and len(segments) == len(other)
        and all(
            a == b or a.startswith("{") or b.startswith("{") for a, b in zip(segments, other, strict=True)
        )
    ]
    assert not clashes
