"""The API's routes that take a JSON body (saves, above all), served without FastAPI's per-request
machinery.

FastAPI describes the API (OpenAPI) and serves every request; but on a 25-cell save its routing,
dependency solving, exception middlewares and body and reply passes were about a third of the
gateway's CPU (docs/perf/README.md, stop 34). This middleware sits inside the request-id, metrics and
trace middlewares and runs, for a request it is sure of, what the route's FastAPI endpoint would run:
the same `caller` (auth.py), the same body model, the same `call` (rpc_routes.py: the edge's checks,
the RPC, the reply), the same reply model and the same problem answers. Whatever it is not sure of goes
to FastAPI unchanged, its body replayed, and is answered as before: a path or method no direct route is
the first to match, a body that is not JSON or that the model refuses.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import grpc
import orjson
from fastapi import FastAPI, Request, Response
from pydantic import TypeAdapter, ValidationError
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.auth import Caller, GatewayProblem, caller
from services.gateway.problems import grpc_error_handler, problem
from services.gateway.rpc_routes import BodyRoute

JSON_TYPES = (b"application/json",)
EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")  # a Mount's


@dataclass(frozen=True)
class _Candidate:
    """One of the app's routes, in the order FastAPI tries them; `direct` when this module serves it."""

    path: re.Pattern[str]
    direct: _Direct | None


@dataclass(frozen=True)
class _Direct:
    body: BodyRoute
    reply: TypeAdapter[Any]


def _flattened(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The app's routes in the order its router tries them (an included router's in its place; no router
    is included with a prefix, so each route's own path is whole)."""
    found: list[BaseRoute] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _flattened(included.routes)
        else:
            found.append(route)
    return found


def _candidates(app: FastAPI, direct: Sequence[BodyRoute]) -> dict[str, list[_Candidate]]:
    """For each HTTP method, the routes that may answer it, in the router's order."""
    served = {id(body.api_route): _Direct(body, TypeAdapter(body.reply_model)) for body in direct}
    by_method: dict[str, list[_Candidate]] = {}
    for route in _flattened(app.router.routes):
        if isinstance(route, Route | Mount):
            methods = getattr(route, "methods", None)
            candidate = _Candidate(route.path_regex, served.get(id(route)))
            for method in methods if methods is not None else EVERY_METHOD:
                by_method.setdefault(method, []).append(candidate)
    return by_method


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() in JSON_TYPES
    return False


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The request's body once more, for FastAPI, then the connection's own messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class DirectRoutes:
    """ASGI middleware serving the `direct` routes (rpc_routes.BodyRoute) of `fastapi` itself."""

    def __init__(self, app: ASGIApp, fastapi: FastAPI, direct: Sequence[BodyRoute]) -> None:
        self.inner = app
        self.fastapi = fastapi
        self.direct = direct
        self.candidates: dict[str, list[_Candidate]] | None = None  # once every route is added

    def match(self, scope: Scope) -> tuple[_Direct, dict[str, Any]] | None:
        if self.candidates is None:
            self.candidates = _candidates(self.fastapi, self.direct)
        path = scope["path"]
        for candidate in self.candidates.get(scope["method"], ()):
            found = candidate.path.match(path)
            if found is not None:
                return None if candidate.direct is None else (candidate.direct, found.groupdict())
        return None

    async def caller(self, request: Request) -> Caller:
        """auth.caller, or what replaces it in app.dependency_overrides, as FastAPI would call it."""
        override = self.fastapi.dependency_overrides.get(caller)
        if override is None:
            return await caller(request)
        found = override(request) if inspect.signature(override).parameters else override()
        who = await found if inspect.isawaitable(found) else found
        assert isinstance(who, Caller)
        return who

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.match(scope) if scope["type"] == "http" and _is_json(scope) else None
        if found is None:
            await self.inner(scope, receive, send)
            return
        served, path_params = found
        request = Request(scope, receive)
        body = await request.body()
        answer = await self.answer(request, served, path_params, body)
        if answer is None:  # FastAPI answers it, as it always did
            await self.inner(scope, _replaying(body, receive), send)
        else:
            await answer(scope, receive, send)

    async def answer(
        self, request: Request, served: _Direct, path_params: dict[str, Any], body: bytes
    ) -> Response | None:
        route = served.body
        request.scope["route"] = route.api_route  # what the metrics and the span are named by
        request.scope["path_params"] = path_params
        try:
            token = None if route.route.public else (await self.caller(request)).token
            try:
                data = route.body_model.model_validate(orjson.loads(body)).model_dump(exclude_unset=True)
            except (orjson.JSONDecodeError, ValidationError):
                return None
            reply = await route.call(request, data, token)
        except GatewayProblem as error:
            return problem(request, error.status, error.key, error.detail, error.errors)
        except grpc.aio.AioRpcError as error:
            return await grpc_error_handler(request, error)
        if isinstance(reply, Response):
            return reply
        # As FastAPI answers with a response model: the reply validated by it, then its JSON.
        content = served.reply.dump_json(served.reply.validate_python(reply))
        return Response(content, status_code=route.route.status_code, media_type="application/json")
