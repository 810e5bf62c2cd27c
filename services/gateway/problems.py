"""Errors as RFC 9457 problem+json, mapped faithfully from gRPC statuses (no 5xx for a client's mistake)."""

from __future__ import annotations

from typing import Any

import grpc
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ejournal_platform.grpc.status import error_info, field_violations
from ejournal_platform.unavailable import RETRY_AFTER_SECONDS
from services.gateway.i18n import negotiate, reason_in, schema_reason, title, worded

HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.OUT_OF_RANGE: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

PROBLEM_JSON = "application/problem+json"

# Statuses after which the same request may succeed later: the answer says when to try again.
RETRY_LATER = {503, 429}


def problem(
    request: Request,
    status: int,
    key: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    retry_after: int | None = None,
) -> JSONResponse:
    language = negotiate(request.headers.get("accept-language"))
    body: dict[str, Any] = {
        "type": f"https://ejournal.dev/problems/{key.lower().replace('_', '-')}",
        "title": title(key, language),
        "status": status,
        "detail": reason_in(detail, language),
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [{**e, "reason": reason_in(e.get("reason", ""), language)} for e in errors]
    if extra:
        body.update(extra)
    headers = {"Content-Language": language}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status in RETRY_LATER:
        headers["Retry-After"] = str(retry_after or RETRY_AFTER_SECONDS)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def grpc_error_handler(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, grpc.aio.AioRpcError)
    code = error.code()
    status = HTTP_STATUS.get(code, 502)
    errors = [{"field": field, "reason": reason} for field, reason in field_violations(error)]
    info = error_info(error)
    extra: dict[str, Any] = {"current": info["current"]} if "current" in info else {}
    if info.get("wording"):
        # A stable name for a refusal a client acts on, e.g. `section_closed`: do not retry, offer a reopen.
        extra["code"] = info["wording"]
    key = code.name if code in HTTP_STATUS else "INTERNAL"
    detail = worded(info, negotiate(request.headers.get("accept-language"))) or error.details() or key
    if status >= 500 and code != grpc.StatusCode.UNAVAILABLE:
        detail = "internal error"
    return problem(request, status, key, detail, errors, extra or None, retry_after=_retry_after(error))


def _retry_after(error: grpc.aio.AioRpcError) -> int | None:
    """The service's own hint (trailing metadata `retry-after`), when it sent one."""
    for key, value in error.trailing_metadata() or ():
        if key == "retry-after":
            text = value.decode() if isinstance(value, bytes) else value
            return int(text) if text.isdigit() else None
    return None


async def validation_error_handler(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    language = negotiate(request.headers.get("accept-language"))
    errors = [
        {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "reason": schema_reason(e, language)}
        for e in error.errors()
    ]
    return problem(request, 422, "MALFORMED", "the request does not match the schema", errors)
