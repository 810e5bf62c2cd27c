"""The interceptors every service shares, each an async context manager around one call.

Order matters and is fixed in server.py: request context (request id, log line per call) outermost,
then error mapping, then authentication, so that an authentication failure is logged and mapped too.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, Protocol

import grpc
import structlog
from sqlalchemy.exc import DBAPIError

from ejournal_platform.authz import refusal
from ejournal_platform.context import (
    AUTHORIZATION_HEADER,
    REQUEST_ID_HEADER,
    Principal,
    bind_request_id,
    set_principal,
)
from ejournal_platform.errors import DomainError, InvalidArgument, Unauthenticated
from ejournal_platform.grpc.status import to_rpc_status
from ejournal_platform.logging import get_logger
from ejournal_platform.metrics import observe_rpc
from ejournal_platform.rpc_actions import PUBLIC, SIGNED_IN, action_of
from ejournal_platform.telemetry import tag_request
from ejournal_platform.unavailable import RETRY_AFTER_SECONDS, is_unavailable

log = get_logger("ejournal.rpc")

CallScope = Callable[[grpc.aio.ServicerContext[Any, Any], str], AbstractAsyncContextManager[None]]

# Methods that answer without a token: health checks, reflection and whatever a service declares.
ALWAYS_PUBLIC_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class Authenticator(Protocol):
    """The authentication hook: turns a bearer token into a Principal, or raises Unauthenticated.

    Identity fills it with local JWT verification against its cached key set.
    """

    async def authenticate(self, token: str) -> Principal: ...


class RejectAll:
    """The default before a service is wired to identity: every protected call is refused."""

    async def authenticate(self, token: str) -> Principal:
        raise Unauthenticated("no authenticator is configured for this service")


def metadata_value(context: grpc.aio.ServicerContext[Any, Any], key: str) -> str | None:
    for item in context.invocation_metadata() or ():
        if item.key == key:
            value = item.value
            return value.decode() if isinstance(value, bytes) else value
    return None


@asynccontextmanager
async def request_context(context: grpc.aio.ServicerContext[Any, Any], method: str) -> AsyncIterator[None]:
    structlog.contextvars.clear_contextvars()
    tag_request(bind_request_id(metadata_value(context, REQUEST_ID_HEADER)))
    structlog.contextvars.bind_contextvars(rpc=method)
    started = time.perf_counter()
    outcome = "OK"
    try:
        yield
    except BaseException as error:
        outcome = type(error).__name__
        raise
    finally:
        code = context.code() if hasattr(context, "code") else None
        seconds = time.perf_counter() - started
        code_name = getattr(code, "name", None)
        # Health probes arrive every few hundred milliseconds; they would drown the log and the metrics.
        if method.startswith(ALWAYS_PUBLIC_PREFIXES[0]):
            log.debug("rpc", outcome=code_name or outcome, duration_ms=round(seconds * 1000, 2))
        else:
            log.info("rpc", outcome=code_name or outcome, duration_ms=round(seconds * 1000, 2))
            observe_rpc(method, code_name or ("OK" if outcome == "OK" else "UNKNOWN"), seconds)


@asynccontextmanager
async def error_mapping(context: grpc.aio.ServicerContext[Any, Any], method: str) -> AsyncIterator[None]:
    try:
        yield
    except DomainError as error:
        status = to_rpc_status(error)
        await context.abort(status.code, status.details, status.trailing_metadata)
    except grpc.aio.AbortError:
        raise
    except Exception as error:
        if is_unavailable(error):
            await _abort_unavailable(context, error)
        if isinstance(error, DBAPIError):
            await _abort_data_exception(context, error)
        log.exception("unexpected error")
        await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the service log")


RETRY_AFTER_HEADER = "retry-after"


async def _abort_unavailable(context: grpc.aio.ServicerContext[Any, Any], error: BaseException) -> None:
    """A dependency is down or overloaded: UNAVAILABLE with a retry hint, logged without a trace."""
    log.warning("dependency unavailable", error=repr(error)[:300])
    await context.abort(
        grpc.StatusCode.UNAVAILABLE,
        "a dependency is unavailable; retry shortly",
        ((RETRY_AFTER_HEADER, str(RETRY_AFTER_SECONDS)),),
    )


async def _abort_data_exception(context: grpc.aio.ServicerContext[Any, Any], error: DBAPIError) -> None:
    # SQLSTATE class 22 (data exception: a NUL in text, a number out of range) comes from a value
    # the caller sent that slipped past validation: the caller's mistake, not ours.
    if str(getattr(error.orig, "sqlstate", "") or "").startswith("22"):
        log.warning("data exception from the database", error=str(error.orig))
        status = to_rpc_status(InvalidArgument("request", f"a value cannot be stored: {error.orig}"))
        await context.abort(status.code, status.details, status.trailing_metadata)


def authentication(authenticator: Authenticator, public_methods: Collection[str] = ()) -> CallScope:
    @asynccontextmanager
    async def scope(context: grpc.aio.ServicerContext[Any, Any], method: str) -> AsyncIterator[None]:
        set_principal(None)
        if method in public_methods or method.startswith(ALWAYS_PUBLIC_PREFIXES):
            yield
            return
        header = metadata_value(context, AUTHORIZATION_HEADER) or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("a bearer token is required", field="authorization")
        principal = await authenticator.authenticate(token)
        set_principal(principal)
        structlog.contextvars.bind_contextvars(principal=principal.subject)
        refuse_a_caller_without_a_role(principal, method)
        yield

    return scope


def refuse_a_caller_without_a_role(principal: Principal, method: str) -> None:
    """The caller before the request's shape (issue 13): every policy action needs a role, so a person
    holding none is refused, naming the RPC's action, before any field is checked or any id looked up.
    PUBLIC and SIGNED_IN RPCs and methods outside the matrix (health, reflection) pass."""
    action = action_of(method)
    if action is None or action in (PUBLIC, SIGNED_IN) or principal.roles:
        return
    raise refusal(action)


class ScopedInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Runs every unary-unary and unary-stream call inside the given scopes, outermost first."""

    def __init__(self, scopes: list[CallScope]) -> None:
        self._scopes = scopes
        # gRPC asks the interceptor for every call; the wrapped handler depends only on the method's
        # own handler (the same object each call), so it is made once per method (issue 19).
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method = handler_call_details.method
        known = self._wrapped.get(method)
        if known is not None and known[0] is handler:
            return known[1]
        wrapped = self._wrap(handler, method)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _wrap(self, handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
        scopes = self._scopes

        async def enter_scopes(stack: AsyncExitStack, context: grpc.aio.ServicerContext[Any, Any]) -> None:
            for scope in scopes:
                await stack.enter_async_context(scope(context, method))

        if handler.unary_unary:
            inner_unary = handler.unary_unary

            async def unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
                async with AsyncExitStack() as stack:
                    await enter_scopes(stack, context)
                    return await inner_unary(request, context)

            return grpc.unary_unary_rpc_method_handler(
                unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            inner_stream = handler.unary_stream

            async def stream(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> AsyncIterator[Any]:
                async with AsyncExitStack() as stack:
                    await enter_scopes(stack, context)
                    async for item in inner_stream(request, context):
                        yield item

            return grpc.unary_stream_rpc_method_handler(
                stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler
