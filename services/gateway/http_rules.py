"""The gateway's routes, read from the contracts: each RPC's `option (google.api.http)` gives the verb,
the path template, the fields taken from the path and the `body`; `(ejournal.api.v1.operation)` gives
the OpenAPI summary and tag and a success status other than 200; `(ejournal.api.v1.public)` says that
the route needs no session. Nothing here is written per route.

The subset of google.api.http's grammar the gateway serves (anything else is refused when the routes
are built, naming the RPC, so a contract cannot promise a route the gateway would serve differently):
- verbs `get`, `post`, `put`, `delete`, `patch` (not `custom`), and `additional_bindings`;
- path segments that are literals or `{field}` (also written `{field=*}`): one top-level, non-repeated
  scalar field of the request per variable, matched against one path segment;
- `body: "*"` (every field not in the path comes from the JSON body) or no body (every other field
  comes from the query string, a repeated one as a repeated parameter: `?ids=a&ids=b`; the request
  then has no message fields, whose `a.b=` query form is not served); `response_body` is not used.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator

from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from ejournal.api.v1 import options_pb2
from ejournal_platform.grpc.public import is_public
from services.gateway.rpc_routes import RpcRoute

VERBS = ("get", "post", "put", "delete", "patch")
_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)(?:=\*)?\}")
_LITERAL = re.compile(r"[A-Za-z0-9._~-]+")


class UnsupportedBinding(ValueError):
    """A google.api.http binding the gateway does not serve (the message names the RPC and why)."""


def service_descriptor(service: str) -> ServiceDescriptor:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2")
    (descriptor,) = module.DESCRIPTOR.services_by_name.values()
    found: ServiceDescriptor = descriptor
    return found


def method_descriptor(route: RpcRoute) -> MethodDescriptor:
    method: MethodDescriptor = service_descriptor(route.service).methods_by_name[route.rpc]
    return method


def message_types(route: RpcRoute) -> tuple[type[Message], type[Message]]:
    """The RPC's request and reply classes, wherever the contract defines them."""
    method = method_descriptor(route)
    return GetMessageClass(method.input_type), GetMessageClass(method.output_type)


def http_rule(method: MethodDescriptor) -> http_pb2.HttpRule | None:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return None
    rule: http_pb2.HttpRule = options.Extensions[annotations_pb2.http]
    return rule


def operation(method: MethodDescriptor) -> options_pb2.Operation | None:
    options = method.GetOptions()
    if not options.HasExtension(options_pb2.operation):
        return None
    found: options_pb2.Operation = options.Extensions[options_pb2.operation]
    return found


def path_fields(template: str, method: MethodDescriptor) -> tuple[str, tuple[str, ...]]:
    """The FastAPI path of a google.api.http template and the request fields its variables bind."""
    where = f"{method.containing_service.name}.{method.name} {template!r}"
    if not template.startswith("/") or ":" in template:
        raise UnsupportedBinding(f"{where}: a path starts with / and has no custom verb")
    names: list[str] = []
    segments = []
    for segment in template[1:].split("/"):
        variable = _VARIABLE.fullmatch(segment)
        if variable:
            name = variable.group(1)
            field = method.input_type.fields_by_name.get(name)
            if field is None or field.is_repeated or field.type == FieldDescriptor.TYPE_MESSAGE:
                raise UnsupportedBinding(
                    f"{where}: {{{name}}} must be a singular scalar field of the request"
                )
            names.append(name)
            segments.append("{" + name + "}")
        elif _LITERAL.fullmatch(segment):
            segments.append(segment)
        else:
            raise UnsupportedBinding(f"{where}: segment {segment!r} is neither a literal nor {{field}}")
    if len(set(names)) != len(names):
        raise UnsupportedBinding(f"{where}: a field bound twice")
    return "/" + "/".join(segments), tuple(names)


def bindings(rule: http_pb2.HttpRule) -> Iterator[http_pb2.HttpRule]:
    yield rule
    yield from rule.additional_bindings


def routes_of(service: str, method: MethodDescriptor) -> list[RpcRoute]:
    """The routes one RPC declares (none without google.api.http)."""
    rule = http_rule(method)
    if rule is None:
        return []
    where = f"{service}.{method.name}"
    described = operation(method)
    if described is None or not described.summary or not described.tag:
        raise UnsupportedBinding(
            f"{where}: give it option (ejournal.api.v1.operation) with a summary and a tag"
        )
    routes = []
    for index, binding in enumerate(bindings(rule)):
        verb = binding.WhichOneof("pattern")
        if verb not in VERBS:
            raise UnsupportedBinding(f"{where}: verb {verb!r} is not served (only {', '.join(VERBS)})")
        if binding.body not in ("", "*") or binding.response_body:
            raise UnsupportedBinding(f'{where}: only body "*" or none, and no response_body')
        path, fields = path_fields(getattr(binding, verb), method)
        if not binding.body:
            nested = [
                f.name
                for f in method.input_type.fields
                if f.type == FieldDescriptor.TYPE_MESSAGE and f.name not in fields
            ]
            if nested:
                raise UnsupportedBinding(
                    f"{where}: without a body, message fields {nested} cannot be reached"
                )
        routes.append(
            RpcRoute(
                method=verb.upper(),
                path=path,
                service=service,
                rpc=method.name,
                summary=described.summary,
                tag=described.tag,
                status_code=described.status or 200,
                public=is_public(method),
                path_fields=fields,
                body=binding.body,
                operation_id=where if index == 0 else f"{where}.{index}",
            )
        )
    return routes


def routes_from_contracts(services: Iterable[str]) -> list[RpcRoute]:
    """Every route the services' contracts declare, in the services' order and each contract's."""
    return [
        route
        for service in services
        for method in service_descriptor(service).methods
        for route in routes_of(service, method)
    ]
