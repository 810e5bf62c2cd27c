"""Issue 22: every HTTP list route is paginated the same way, read from the gateway's own OpenAPI.

A GET whose reply holds an array is a list route; it must take `page_size` and `page_token` and answer
`next_page_token`, or be named in BOUNDED_LISTS with the reason it stays small. A new list route
that is neither fails here (and tests/e2e/test_pagination_walk.py walks every paginated one)."""

from __future__ import annotations

from typing import Any

import pytest

from services.gateway.app import create_app
from services.gateway.route_table import BOUNDED_LISTS
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit
PAGE_FIELDS = {"page_size", "page_token"}


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def is_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(s.get("type") == "array" for s in schema.get("anyOf", []))


def list_routes(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """operationId -> (path, operation) of every GET whose 200 reply has an array property."""
    found = {}
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {})
        schema = resolve(content.get("application/json", {}).get("schema", {}), document)
        properties = {k: resolve(v, document) for k, v in schema.get("properties", {}).items()}
        if any(is_array(p) for p in properties.values()):
            found[operation["operationId"]] = (path, operation)
    return found


def openapi() -> dict[str, Any]:
    return create_app(gateway_settings()).openapi()


def test_every_list_route_is_paginated_or_named_bounded_with_a_reason() -> None:
    document = openapi()
    lists = list_routes(document)
    assert len(lists) > 20, "the OpenAPI must show the list routes"
    unpaged = []
    for operation_id, (path, operation) in lists.items():
        if operation_id in BOUNDED_LISTS:
            continue
        parameters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        reply = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"], document)
        if not parameters >= PAGE_FIELDS or "next_page_token" not in reply.get("properties", {}):
            unpaged.append(f"{operation_id} ({path})")
    assert not unpaged, f"paginate these list routes or name them in BOUNDED_LISTS with a reason: {unpaged}"
    assert all(reason.strip() for reason in BOUNDED_LISTS.values())
    assert set(BOUNDED_LISTS) <= set(lists), f"stale BOUNDED_LISTS: {set(BOUNDED_LISTS) - set(lists)}"
    bounded_but_paged = [
        o for o in BOUNDED_LISTS if {p["name"] for p in lists[o][1].get("parameters", [])} >= PAGE_FIELDS
    ]
    assert not bounded_but_paged, bounded_but_paged
