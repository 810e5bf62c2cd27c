"""Every RPC of every service the gateway fronts is either a route or listed as deliberately not
routed, with the reason: a new RPC without a decision fails here."""

from __future__ import annotations

import importlib

import pytest

from services.gateway.routes import NOT_ROUTED, ROUTES, message_types

pytestmark = pytest.mark.unit
FRONTED = ("identity", "curriculum", "gradebook", "workflow", "reporting", "subscribers")


def rpcs(service: str) -> set[str]:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2")
    descriptor = module.DESCRIPTOR.services_by_name[f"{service.capitalize()}Service"]
    return {f"{service}.{method.name}" for method in descriptor.methods}


def test_every_rpc_is_routed_or_deliberately_not() -> None:
    routed = {f"{route.service}.{route.rpc}" for route in ROUTES}
    for service in FRONTED:
        undecided = rpcs(service) - routed - set(NOT_ROUTED)
        assert not undecided, f"add a route or a NOT_ROUTED reason for: {sorted(undecided)}"
    assert not set(NOT_ROUTED) & routed


def test_every_route_names_a_real_rpc_and_its_path_fields() -> None:
    for route in ROUTES:
        request_type, _ = message_types(route)
        fields = {field.name for field in request_type.DESCRIPTOR.fields}
        assert set(route.path_fields) <= fields, route
        assert all("{" + name + "}" in route.path for name in route.path_fields), route
