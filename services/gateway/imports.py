"""The registrar's file imports: the file is the request body; progress and the result stream back
as JSON lines while curriculum validates the whole file and applies all of it or nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from services.gateway.auth import Caller, GatewayProblem, caller, metadata
from services.gateway.i18n import negotiate
from services.gateway.proto_models import to_json
from services.gateway.rpc_routes import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/imports", tags=["imports"], responses=ERROR_RESPONSES)
KINDS = {name.removeprefix("IMPORT_KIND_").lower(): value for name, value in pb.ImportKind.items() if value}
MAX_FILE_BYTES = 50 * 1024 * 1024


def too_large() -> GatewayProblem:
    return GatewayProblem(
        413, "PAYLOAD_TOO_LARGE", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
        [{"field": "file", "reason": f"is larger than {MAX_FILE_BYTES} bytes"}],
    )  # fmt: skip


async def bounded_body(request: Request) -> bytes:
    """The file, never cut: a declared Content-Length over the limit is refused before a byte of the
    body is read; a body without one (chunked) is refused as soon as it passes the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
        raise too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "",
    summary="Import a CSV or XLSX file (contingent, curriculum, teaching load, lesson plans, schedule)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/x-ndjson": {}}, "description": "progress lines, then the result"}
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def import_file(
    request: Request,
    kind: str = Query(pattern="^(" + "|".join(KINDS) + ")$"),
    file_name: str = Query(min_length=1, max_length=255, pattern=r"^[^\x00]+\.(csv|xlsx)$"),
    academic_year_id: str = Query(default="", max_length=64),
    dry_run: bool = Query(default=False),
    reason: str = Query(default="", max_length=1000),
    sync: bool = Query(default=False),
    sync_order_number: str = Query(default="", max_length=60),
    sync_order_date: str = Query(default="", max_length=10),
    who: Caller = Depends(caller),  # noqa: B008
) -> StreamingResponse:
    content = await bounded_body(request)
    language = negotiate(request.headers.get("accept-language"))
    message = pb.ImportFileRequest(
        kind=KINDS[kind], file_name=file_name, content=content, language=language,
        dry_run=dry_run, academic_year_id=academic_year_id, reason=reason, sync=sync,
        sync_order_number=sync_order_number, sync_order_date=sync_order_date,
    )  # fmt: skip
    stream = request.app.state.clients.stub("curriculum").ImportFile(
        message, metadata=metadata(request, who.token)
    )
    first = await anext(aiter(stream))  # fail before the 200 if the service refuses the call outright

    async def lines() -> AsyncIterator[bytes]:
        yield (json.dumps(to_json(first), ensure_ascii=False) + "\n").encode()
        async for update in stream:
            yield (json.dumps(to_json(update), ensure_ascii=False) + "\n").encode()

    return StreamingResponse(lines(), media_type="application/x-ndjson")
