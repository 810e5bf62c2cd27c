"""Routes that forward one HTTP request to one RPC, declared as data.

Each route names its HTTP method and path, the service and RPC, which request fields come from the
path, and whether the rest is the JSON body; the body's schema and the reply's schema come from the
protobuf messages. The gateway adds nothing else: the caller's token, language, request id and
Idempotency-Key travel to the service, which decides. The routes are read from the contracts'
google.api.http annotations (http_rules.py); what those cannot say is in route_table.py.
"""

# No `from __future__ import annotations`: FastAPI reads the body model from real annotations.
import importlib
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
import xxhash
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.routing import APIRoute
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import ParseError
from google.protobuf.message import Message
from pydantic import BaseModel

from services.gateway import edge
from services.gateway.auth import Caller, GatewayProblem, caller, metadata
from services.gateway.problems import PROBLEM_JSON
from services.gateway.proto_json import gateway_only, to_dict
from services.gateway.proto_models import SCALARS, from_json, model_for

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {PROBLEM_JSON: {}}}
    for status, text in {
        401: "sign-in required",
        403: "not allowed for this caller",
        404: "not found",
        409: "conflict: changed by someone else, closed, or already exists",
        412: "If-Match no longer matches: read again",
        422: "invalid input; `errors` names each field",
    }.items()
}


# Adds to a reply what a page needs from another service (request, reply, the caller's token[, what
# the route's `early` started]).
Enrich = Callable[..., Awaitable[None]]
# Starts before the RPC what `enrich` will need (request, the request's fields, the caller's token),
# e.g. students' names asked while the grid is read; None: nothing to start. What it returns goes to
# `enrich`, or has its `drop()` called when the RPC fails or answers 304.
Early = Callable[[Request, dict[str, Any], str | None], Any]


@dataclass(frozen=True)
class RpcRoute:
    method: str
    path: str
    service: str
    rpc: str
    summary: str
    tag: str
    status_code: int = 200
    public: bool = False  # the contract's (ejournal.api.v1.public): no session asked for
    path_fields: tuple[str, ...] = field(default=())
    # google.api.http's `body`: "*" takes every field not in the path from the JSON body; "" takes
    # the scalar ones from the query string.
    body: str = ""
    operation_id: str = ""  # "service.Method" (a further binding of one RPC: "service.Method.1")
    # GET: answer with an ETag of the reply, and 304 to a matching If-None-Match.
    etag: bool = False
    # Writes: the read RPC whose ETag an If-Match header must still match (412 if not). The binding
    # guard stays the service's per-cell versions; this lets a client refuse to write on a stale grid.
    if_match_read: str | None = None
    # Adds to the reply what a page needs from another service, in the same answer (e.g. students'
    # names on the grid), called with the caller's token; the ETag stays the owning service's reply's.
    enrich: Enrich | None = None
    early: Early | None = None


def _query_fields(request_type: type[Message], exclude: frozenset[str]) -> dict[str, Any]:
    """The request's scalar fields as query parameters; a repeated one is repeated in the query
    (`?student_ids=a&student_ids=b`), as google.api.http maps it."""
    found: dict[str, Any] = {}
    for proto_field in request_type.DESCRIPTOR.fields:
        kind = proto_field.type
        if proto_field.name in exclude or kind == FieldDescriptor.TYPE_MESSAGE or gateway_only(proto_field):
            continue
        scalar = str if kind == FieldDescriptor.TYPE_ENUM else SCALARS[kind]
        found[proto_field.name] = list[scalar] if proto_field.is_repeated else scalar  # type: ignore[valid-type]
    return found


IDEMPOTENCY_FIELDS = ("idempotency_key", "request_id")


_FLAGS: dict[str, tuple[str, ...]] = {}


def _gateway_flags(descriptor: Any) -> tuple[str, ...]:
    found = _FLAGS.get(descriptor.full_name)
    if found is None:
        flags = (f.name for f in descriptor.fields if f.type == FieldDescriptor.TYPE_BOOL and gateway_only(f))
        found = _FLAGS[descriptor.full_name] = tuple(flags)
    return found


AnyMessage = TypeVar("AnyMessage", bound=Message)


def gateways_form(message: AnyMessage) -> AnyMessage:
    """Sets a request's gateway-only flags: each asks the service for the reply in the gateway's own
    form (GetJournalGridRequest.cells_as_json: the cells as JSON, printed by to_dict as they are)."""
    for name in _gateway_flags(message.DESCRIPTOR):
        setattr(message, name, True)
    return message


def etag_of(reply: Message) -> str:
    """A strong validator of the reply as gradebook gave it (If-None-Match, If-Match). XXH3's 128 bits,
    not a cryptographic digest: an ETag only has to change when the reply does, and nobody chooses a
    reply's bytes to meet another's (a grid is what was written through the service's own checks).
    SHA-256 of a 100 x 71 grid's ~1 MB reply was ~0.5-1.5 ms of the gateway's CPU per read."""
    return '"' + xxhash.xxh3_128_hexdigest(reply.SerializeToString(deterministic=True)) + '"'


def _stub_method(request: Request, service: str, rpc: str) -> Callable[..., Awaitable[Message]]:
    stub = request.app.state.clients.stub(service)
    method: Callable[..., Awaitable[Message]] = getattr(stub, rpc)
    return method


async def _check_if_match(request: Request, route: RpcRoute, data: dict[str, Any], token: str | None) -> None:
    assert route.if_match_read
    module = importlib.import_module(f"ejournal.{route.service}.v1.{route.service}_service_pb2")
    read_type: type[Message] = getattr(module, f"{route.if_match_read}Request")
    read = gateways_form(
        read_type(**{f.name: data[f.name] for f in read_type.DESCRIPTOR.fields if f.name in data})
    )
    current = await _stub_method(request, route.service, route.if_match_read)(
        read, metadata=metadata(request, token)
    )
    if etag_of(current) != request.headers["if-match"]:
        raise GatewayProblem(412, "PRECONDITION_FAILED", "the grid changed since it was read: read it again")


@dataclass(frozen=True)
class BodyRoute:
    """What direct.py needs to serve a route whose request is a JSON body exactly as its FastAPI
    endpoint does: the same models and the same `call` (which is everything the endpoint does after
    FastAPI has read the caller and validated the body)."""

    route: RpcRoute
    api_route: APIRoute
    body_model: type[BaseModel]
    reply_model: type[BaseModel]
    call: Callable[[Request, dict[str, Any], str | None], Awaitable[Any]]


def add_rpc_route(
    router: APIRouter, route: RpcRoute, request_type: type[Message], response_type: type[Message]
) -> BodyRoute | None:
    """Adds the route to `router`; returns what direct.py needs when the route takes a JSON body."""
    reply_model = model_for(response_type.DESCRIPTOR)
    body_fields = frozenset(route.path_fields)
    has_body = route.body == "*" and len(request_type.DESCRIPTOR.fields) > len(body_fields)
    body_model: type[BaseModel] | None = model_for(request_type.DESCRIPTOR, body_fields) if has_body else None

    request_fields = {f.name for f in request_type.DESCRIPTOR.fields}
    idempotency_field = next((f for f in IDEMPOTENCY_FIELDS if f in request_fields), None)

    async def call(request: Request, data: dict[str, Any], token: str | None) -> Any:
        data |= {name: request.path_params[name] for name in route.path_fields}
        key = request.headers.get("idempotency-key")
        if key and idempotency_field and not data.get(idempotency_field):
            data[idempotency_field] = key  # the Idempotency-Key header is the request's own key
        problems = edge.violations(data, request_type.DESCRIPTOR)
        if problems:
            errors = [{"field": where, "reason": reason} for where, reason in problems]
            raise GatewayProblem(422, "INVALID_ARGUMENT", "; ".join(f"{f}: {r}" for f, r in problems), errors)
        try:
            message = gateways_form(from_json(data, request_type))
        except ParseError as error:
            raise GatewayProblem(422, "MALFORMED", str(error)) from None
        if route.if_match_read and request.headers.get("if-match"):
            await _check_if_match(request, route, data, token)
        started = route.early(request, data, token) if route.early is not None else None
        try:
            reply = await _stub_method(request, route.service, route.rpc)(
                message, metadata=metadata(request, token)
            )
            tag = etag_of(reply) if route.etag else None
            not_modified = tag is not None and request.headers.get("if-none-match") == tag
        except BaseException:
            if started is not None:
                started.drop()
            raise
        if tag is not None and not_modified:
            if started is not None:
                started.drop()
            return Response(status_code=304, headers={"ETag": tag})
        if route.enrich is not None:
            if route.early is not None:
                await route.enrich(request, reply, token, started)
            else:
                await route.enrich(request, reply, token)
        if tag is None:
            # to_dict gives what MessageToDict gives (test_proto_json), for a fraction of its CPU: it
            # was ~5 % of the gateway's on a 25-cell save (issue 19).
            return to_dict(reply)
        # Reads go out as they are (no response-model pass); to_dict and orjson because MessageToDict
        # and json.dumps were most of a grid read's time (docs/perf/README.md).
        body = orjson.dumps(to_dict(reply))
        return Response(body, media_type="application/json", headers={"ETag": tag})

    async def endpoint(request: Request, **arguments: Any) -> Any:
        body = arguments.get("body")
        who = arguments.get("who")
        # exclude_unset, not exclude_none: a null the client sent is seen (and refused) at the edge.
        data = body.model_dump(exclude_unset=True) if body is not None else {}
        data |= {name: arguments[name] for name in query_fields if arguments.get(name) is not None}
        return await call(request, data, who.token if who is not None else None)

    # FastAPI reads parameters from the signature: declare the path fields, the body and the caller.
    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str, default=Path(min_length=1))
        for name in route.path_fields
    ]
    # Without a body (GET, DELETE) the request's other scalar fields come from the query string.
    query_fields: dict[str, Any] = {} if has_body else _query_fields(request_type, body_fields)
    parameters += (
        [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=kind | None, default=Query(None)
            )
            for name, kind in query_fields.items()
        ]
        if query_fields
        else []
    )
    if body_model is not None:
        parameters.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body_model))
    if not route.public:
        parameters.append(
            inspect.Parameter(
                "who", inspect.Parameter.KEYWORD_ONLY, annotation=Caller, default=Depends(caller)
            )
        )
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    router.add_api_route(
        route.path,
        endpoint,
        methods=[route.method],
        response_model=reply_model,
        status_code=route.status_code,
        summary=route.summary,
        tags=[route.tag],
        name=route.operation_id or f"{route.service}.{route.rpc}",
        operation_id=route.operation_id or f"{route.service}.{route.rpc}",
        responses=ERROR_RESPONSES
        | ({304: {"description": "not modified since that ETag"}} if route.etag else {}),
    )
    if body_model is None:
        return None
    api_route = router.routes[-1]
    assert isinstance(api_route, APIRoute)
    return BodyRoute(route, api_route, body_model, reply_model, call)
