"""The HTTP mapping lives in the contracts (issue 15, part 5): every RPC the gateway serves carries
`option (google.api.http)` with the route's verb and path (a second route of one RPC as an additional
binding), no RPC carries a binding the gateway does not serve, and which methods are public is said
once, by `(ejournal.api.v1.public)`, which the services' authentication hooks and the gateway's routes
both read."""

from __future__ import annotations

import importlib
import inspect
from collections import defaultdict

import pytest
from fastapi.routing import APIRoute
from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import ServiceDescriptor

from ejournal_platform.grpc.public import is_public, public_methods
from ejournal_platform.services import SERVICES
from services.gateway.routes import ROUTES, rpc_router

pytestmark = pytest.mark.unit

VERBS = ("get", "post", "put", "delete", "patch")


def services() -> dict[str, ServiceDescriptor]:
    found = {}
    for name in SERVICES:
        try:
            module = importlib.import_module(f"ejournal.{name}.v1.{name}_service_pb2")
        except ModuleNotFoundError:
            continue
        (service,) = module.DESCRIPTOR.services_by_name.values()
        found[name] = service
    return found


def bindings(rule: http_pb2.HttpRule) -> list[tuple[str, str, str]]:
    out = []
    for one in [rule, *rule.additional_bindings]:
        verb = one.WhichOneof("pattern")
        if verb in VERBS:
            out.append((verb.upper(), getattr(one, verb), one.body))
    return out


def test_every_route_is_the_binding_its_rpc_declares_and_nothing_else() -> None:
    routed: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for route in ROUTES:
        routed[(route.service, route.rpc)].append(
            (route.method, route.path, "*" if route.method in ("POST", "PUT", "PATCH") else "")
        )
    declared = {}
    for name, service in services().items():
        for method in service.methods:
            options = method.GetOptions()
            if options.HasExtension(annotations_pb2.http):
                declared[(name, method.name)] = bindings(options.Extensions[annotations_pb2.http])
    assert declared == dict(routed)


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
        service_name, rpc = api_route.name.split(".")
        asks = "who" in inspect.signature(api_route.endpoint).parameters
        assert asks != is_public(services()[service_name].methods_by_name[rpc]), api_route.name
