"""Routes that forward one HTTP request to one RPC, declared as data.

Each route names its HTTP method and path, the service and RPC, and which request fields come from
the path; the body's schema and the reply's schema come from the protobuf messages. The gateway adds
nothing else: the caller's token, language, request id and Idempotency-Key travel to the service,
which decides. A new route is one line in routes.py.
"""

# No `from __future__ import annotations`: FastAPI reads the body model from real annotations.
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import ParseError
from google.protobuf.message import Message
from pydantic import BaseModel

from services.gateway.auth import Caller, GatewayProblem, caller, metadata
from services.gateway.problems import PROBLEM_JSON
from services.gateway.proto_models import SCALARS, from_json, model_for, to_json

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {PROBLEM_JSON: {}}}
    for status, text in {
        401: "sign-in required",
        403: "not allowed for this caller",
        404: "not found",
        409: "conflict: changed by someone else, closed, or already exists",
        422: "invalid input; `errors` names each field",
    }.items()
}


@dataclass(frozen=True)
class RpcRoute:
    method: str
    path: str
    service: str
    rpc: str
    summary: str
    tag: str
    status_code: int = 200
    public: bool = False
    path_fields: tuple[str, ...] = field(default=())


def _query_fields(request_type: type[Message], exclude: frozenset[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for proto_field in request_type.DESCRIPTOR.fields:
        kind = proto_field.type
        if proto_field.name in exclude or proto_field.is_repeated or kind == FieldDescriptor.TYPE_MESSAGE:
            continue
        found[proto_field.name] = str if kind == FieldDescriptor.TYPE_ENUM else SCALARS[kind]
    return found


def _stub_method(request: Request, service: str, rpc: str) -> Callable[..., Awaitable[Message]]:
    stub = request.app.state.clients.stub(service)
    method: Callable[..., Awaitable[Message]] = getattr(stub, rpc)
    return method


def add_rpc_route(
    router: APIRouter, route: RpcRoute, request_type: type[Message], response_type: type[Message]
) -> None:
    reply_model = model_for(response_type.DESCRIPTOR)
    body_fields = frozenset(route.path_fields)
    has_body = route.method in ("POST", "PUT", "PATCH") and len(request_type.DESCRIPTOR.fields) > len(
        body_fields
    )
    body_model: type[BaseModel] | None = model_for(request_type.DESCRIPTOR, body_fields) if has_body else None

    async def call(request: Request, data: dict[str, Any], token: str | None) -> dict[str, Any]:
        data |= {name: request.path_params[name] for name in route.path_fields}
        try:
            message = from_json(data, request_type)
        except ParseError as error:
            raise GatewayProblem(422, "MALFORMED", str(error)) from None
        reply = await _stub_method(request, route.service, route.rpc)(
            message, metadata=metadata(request, token)
        )
        return to_json(reply)

    async def endpoint(request: Request, **arguments: Any) -> dict[str, Any]:
        body = arguments.get("body")
        who = arguments.get("who")
        data = body.model_dump(exclude_none=True) if body is not None else {}
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
        name=f"{route.service}.{route.rpc}",
        operation_id=f"{route.service}.{route.rpc}",
        responses=ERROR_RESPONSES,
    )
